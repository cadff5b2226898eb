// The typed client's declarations for the runtime the server serves beside these files
// (node_modules/openapi-fetch/dist/index.mjs as /console/openapi-fetch.js).
export * from 'openapi-fetch';
export { default } from 'openapi-fetch';
