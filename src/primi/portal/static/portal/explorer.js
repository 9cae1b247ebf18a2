// The explorer without a round trip too many: a new dataflow is shown as soon as it is chosen,
// and the filter form goes straight to the query's canonical address (an SDMX key) instead of
// through the server's redirect. Without JavaScript both forms work as plain GET forms.
(function () {
  "use strict";
  const flow = document.getElementById("explorer-flow");
  if (flow) {
    flow.querySelector("select").addEventListener("change", () => flow.submit());
  }
  const form = document.getElementById("explorer-form");
  if (!form) return;
  const dimensions = ["FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP"];
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const key = dimensions.map((d) => data.getAll(d).join("+"));
    const params = new URLSearchParams();
    params.set("dataflow", data.get("dataflow"));
    params.set("key", key.some((part) => part) ? key.join(".") : "");
    for (const name of ["startPeriod", "endPeriod", "asOf", "cols", "rows"]) {
      const value = (data.get(name) || "").trim();
      if (value) params.set(name, value);
    }
    window.location.assign(form.action + "?" + params.toString());
  });
})();
