/* Reading mode: the text as printed, without note markers, link styling or
 * margin notes.
 *
 * One toggle button on each text's page (aria-pressed), remembered across
 * pages and visits (localStorage); a status line announces the change. The
 * button says its state ("Reading mode: on"); its label is generated content
 * (data-label, as the note markers are), so the script adds no characters to
 * the page's text and W3C positions counted in the published page still hold. The
 * class goes on <html>, so the stylesheet does the hiding; the notes list at
 * the end of the page stays, and the selection menu works as before.
 */
(function () {
  "use strict";

  var KEY = "edition-reading-mode";
  var CLASS = "edition-reading";

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
  }

  // At once, before the page is laid out, so the markers never flash.
  if (stored()) document.documentElement.classList.add(CLASS);

  function init() {
    var heading = document.querySelector(".bd-article h1");
    if (!heading || !document.querySelector(".bd-article .edition-para")) {
      document.documentElement.classList.remove(CLASS);
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "edition-reading-toggle edition-apparatus";
    button.setAttribute("lang", "en");
    function label(on) {
      var text = "Reading mode: " + (on ? "on" : "off");
      button.setAttribute("data-label", text);
      button.setAttribute("aria-label", text);  // the visible words, for WCAG 2.5.3
      button.setAttribute("aria-pressed", String(on));
    }
    label(stored());
    var status = document.createElement("p");
    status.className = "edition-reading-status visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("lang", "en");
    button.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains(CLASS);
      document.documentElement.classList.toggle(CLASS, on);
      label(on);
      store(on);
      status.textContent = on
        ? "Reading mode on: note markers, link styling and margin notes are hidden."
        : "Reading mode off: notes and links are shown.";
      window.dispatchEvent(new Event("resize")); // margin notes and popovers lay out again
    });
    heading.parentNode.insertBefore(button, heading);
    // The announcement lives at the end of the page: text added before the text would
    // move every W3C position counted in the published page.
    document.body.appendChild(status);
    // edition.js may have laid out margin notes before this ran: lay out again.
    if (stored()) window.dispatchEvent(new Event("resize"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
