// Starts the GOV.UK Frontend components (a module script: the CSP allows no inline script).
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
