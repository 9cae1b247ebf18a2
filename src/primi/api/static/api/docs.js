// Swagger UI for /api/docs, configured from the JSON the page carries (no inline script).
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
settings.dom_id = "#swagger-ui";
settings.presets = [SwaggerUIBundle.presets.apis];
SwaggerUIBundle(settings);
