-- One database per service (each service owns its own; migrations run at service start).
CREATE DATABASE crm_api_gateway;
CREATE DATABASE crm_contacts;
CREATE DATABASE crm_analytics;
