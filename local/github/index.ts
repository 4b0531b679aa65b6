export { startGitHubServer, BODY_LIMIT, type GitHubServer } from "./server.js";
export { loadOpenApiCheck, type OpenApiCheck } from "./openapi-check.js";
