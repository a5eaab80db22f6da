(function () {
  "use strict";
  var deck = JSON.parse(document.getElementById("deck-data").textContent);
  var config = {responsive: true, displaylogo: false, displayModeBar: false};
  var counter = document.querySelector(".counter");
  var current = -1;

  function add(parent, tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    if (text) element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  var sections = deck.slides.map(function (slide, index) {
    var section = document.createElement("section");
    section.className = "slide";
    section.hidden = true;
    section.setAttribute("aria-label", deck.slideLabel.replace("{n}", index + 1).replace("{total}", deck.slides.length));
    add(section, "h1", "slide-title", slide.title);
    if (!slide.figure) {  // the title slide: its title and the lines under it
      section.classList.add("title-slide");
      slide.lines.forEach(function (line) { add(section, "p", "title-slide-line", line); });
      document.body.insertBefore(section, counter);
      return section;
    }
    if (slide.value) {
      add(section, "p", "headline-value", slide.value);
      add(section, "p", "headline-label", slide.label);
    }
    add(section, "div", "chart", "");
    add(section, "p", "source", slide.source);
    document.body.insertBefore(section, counter);
    return section;
  });

  function clamp(index) { return Math.max(0, Math.min(sections.length - 1, index)); }

  function fromHash() {
    var number = parseInt(location.hash.slice(1), 10);
    return clamp(isNaN(number) ? 0 : number - 1);
  }

  function show(index) {
    if (index === current) return;
    sections.forEach(function (section, i) { section.hidden = i !== index; });
    var chart = sections[index].querySelector(".chart");
    var figure = deck.slides[index].figure;
    if (chart) {  // the title slide has none
      if (chart.classList.contains("js-plotly-plot")) Plotly.Plots.resize(chart);
      else Plotly.newPlot(chart, figure.data, figure.layout, config);
    }
    counter.textContent = (index + 1) + " / " + sections.length;
    current = index;
  }

  // The slide number lives in the address (#3), so a reload or a bookmark comes back to it, and the
  // browser's back button steps back through the slides.
  function goTo(index) { location.hash = "#" + (clamp(index) + 1); }

  var NEXT = {ArrowRight: true, PageDown: true, " ": true};
  var PREVIOUS = {ArrowLeft: true, PageUp: true};
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var back = PREVIOUS[event.key] || (event.key === " " && event.shiftKey);
    if (back) goTo(current - 1);
    else if (NEXT[event.key]) goTo(current + 1);
    else if (event.key === "Home") goTo(0);
    else if (event.key === "End") goTo(sections.length - 1);
    else return;
    event.preventDefault();  // no page scrolling on space and PageDown
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
