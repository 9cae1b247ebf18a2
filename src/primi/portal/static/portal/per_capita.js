// The indicator and flows pages' choices (year, per 100,000, indicator) work as a plain GET form;
// with JavaScript a change applies at once, without pressing the button.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () {
      form.requestSubmit();
    });
  });
})();
