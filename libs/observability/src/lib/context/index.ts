export * from './context.constants';
export * from './traceparent';
export * from './correlation-id';
export * from './current-context';
export * from './request-context.service';
export * from './request-context.module';
export * from './request-context.hooks';
export * from './unmounted-cls-enhancers';
