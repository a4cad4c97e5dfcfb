-- One database per service (each service owns its own; migrations run at service start).
CREATE DATABASE crm_api_gateway;
CREATE DATABASE crm_contacts;
CREATE DATABASE crm_analytics;
CREATE DATABASE crm_sales_automation;
CREATE DATABASE crm_integration_gateway;
CREATE DATABASE crm_support_tickets;
