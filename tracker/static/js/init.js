// Starts GOV.UK Frontend's components. Loaded as a module: browsers too old for modules skip
// it and get the plain HTML pages, which is what GOV.UK Frontend expects.
//
// govuk-frontend-jinja's template sets these body classes with an inline script; our
// Content-Security-Policy allows no inline script, so this file does it.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initBusyForms } from "./busy.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initBusyForms();
