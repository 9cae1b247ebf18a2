// Draws every chart of the page (figure[data-chart]) with vega-embed, in the page's language.
// The spec sits in the figure as JSON; numbers and dates use the d3 locales the server wrote
// into the page (#d3-number-locale, #d3-time-locale); the actions menu offers PNG and SVG only:
// "open in editor" would send the spec to another site. `?embed=ID` shows that chart alone.
(function () {
  "use strict";
  const json = (id) => JSON.parse(document.getElementById(id).textContent);
  const numberLocale = json("d3-number-locale");
  const timeLocale = json("d3-time-locale");
  const words = json("chart-words");
  const embedded = new URLSearchParams(window.location.search).get("embed");
  if (embedded && document.getElementById(embedded)) {
    document.documentElement.classList.add("embedded");
    // The chart and the synthetic-data banner stay shown whole, with their ancestors; primi.css
    // hides the rest of the page.
    for (const shown of [document.getElementById(embedded),
                         document.getElementById("synthetic-banner")]) {
      if (!shown) continue;
      shown.classList.add("is-embedded");
      for (let node = shown; node; node = node.parentElement) node.classList.add("embed-path");
    }
  }
  window.primiCharts = {};

  function draw(figure) {
    const spec = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
    const view = figure.querySelector(".chart-view");
    return vegaEmbed(view, spec, {
      renderer: "svg",
      formatLocale: numberLocale,
      timeFormatLocale: timeLocale,
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: figure.id,
      i18n: {
        CLICK_TO_VIEW_ACTIONS: words.menu,
        PNG_ACTION: words.png,
        SVG_ACTION: words.svg,
      },
    }).then((result) => {
      window.primiCharts[figure.id] = result.view;
      const summary = view.querySelector("details > summary");
      if (summary) summary.setAttribute("aria-label", words.menu);
      figure.dataset.ready = "true";
    }).catch((error) => {
      figure.dataset.ready = "error";
      view.textContent = words.failed;
      console.error(error);
    });
  }

  // A printed page carries the figures: the tables behind the charts open for printing.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.chart-data").forEach((d) => { d.open = true; });
  });

  // Pages redraw a chart after changing its spec (a per-100,000 toggle, an explorer query).
  window.primiDrawChart = draw;
  window.primiChartsReady = Promise.all(
    Array.from(document.querySelectorAll("figure[data-chart]"), draw)
  );
})();
