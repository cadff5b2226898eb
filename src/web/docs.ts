import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/**
 * The files of the reference page, all served by Tessera itself (no CDN). A Map, because the name
 * comes from the URL: `/docs/constructor` must find nothing, not `Object.prototype.constructor`.
 */
export const docsAssets: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['swagger-ui.css', { file: path.join(swaggerUiDir, 'swagger-ui.css'), type: 'text/css; charset=utf-8' }],
  ['swagger-ui-bundle.js', { file: path.join(swaggerUiDir, 'swagger-ui-bundle.js'), type: 'application/javascript; charset=utf-8' }],
  ['favicon-32x32.png', { file: path.join(swaggerUiDir, 'favicon-32x32.png'), type: 'image/png' }],
]);

export function readDocsAsset(name: string): { body: Buffer; type: string } | undefined {
  const asset = docsAssets.get(name);
  return asset && { body: fs.readFileSync(asset.file), type: asset.type };
}

/**
 * Started from a file, not inline, so the page's Content-Security-Policy can forbid inline script.
 * "Try it out" sends requests to the server the page came from: the spec's own `servers` entry is
 * the default local address (`npm start`), which a server on another port, host or behind a proxy
 * is not, so the page lists this origin first. The spec served at /openapi.json stays as written.
 */
export const docsInitScript = `window.addEventListener('load', function () {
  fetch('/openapi.json')
    .then(function (answer) { return answer.json(); })
    .then(function (spec) {
      var here = { url: window.location.origin, description: 'This server (the one serving this page)' };
      spec.servers = [here].concat((spec.servers || []).filter(function (server) { return server.url !== here.url; }));
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: '#swagger-ui',
        deepLinking: true,
        docExpansion: 'list',
        defaultModelsExpandDepth: 0,
        persistAuthorization: false,
        displayOperationId: true,
      });
    });
});
`;

export const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tessera API reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <noscript>This page needs JavaScript; the spec itself is at <a href="/openapi.yaml">/openapi.yaml</a>.</noscript>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;
