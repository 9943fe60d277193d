// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/assets/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
initAll();
