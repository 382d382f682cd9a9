/* The edition's reading aids: note popovers and margin notes.
 *
 * Without JavaScript every marker is a plain link to its note at the end of
 * the page, and every note links back. With it:
 *  - hovering, focusing or tapping a marker shows the note in a popover;
 *    Enter shows it, Escape closes it; the marker is described by the note
 *    (aria-describedby), so screen readers read it on focus;
 *  - on wide screens the notes are also set in the margin beside their
 *    markers (copies, hidden from assistive technology, which already has
 *    the note list), each cut to a few lines and never more than MAX_DRIFT
 *    below its marker: where notes crowd, the later ones stay in the popover.
 * Content is cloned from the page's own notes: nothing is built from strings.
 */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 1500px)");
  /* How far (px) a margin note may be pushed down from its marker's line. */
  var MAX_DRIFT = 160;
  var popover = null;
  var current = null;
  var hideTimer = null;
  var shownAt = 0;

  function noteFor(trigger) {
    var id = trigger.getAttribute("data-edition-target");
    return id ? document.getElementById(id) : null;
  }

  /* A copy of a note's content without its number, ids or back-links. */
  function cloneContent(note) {
    var fragment = document.createDocumentFragment();
    Array.prototype.forEach.call(note.children, function (child) {
      if (child.classList.contains("label")) return;
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) {
        el.removeAttribute("id");
      });
      fragment.appendChild(copy);
    });
    return fragment;
  }

  function ensurePopover() {
    if (popover) return popover;
    popover = document.createElement("div");
    popover.className = "edition-popover";
    popover.id = "edition-popover";
    popover.setAttribute("role", "tooltip");
    popover.setAttribute("lang", "en");
    popover.hidden = true;
    popover.addEventListener("mouseenter", cancelHide);
    popover.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popover);
    return popover;
  }

  function place(trigger) {
    var rect = trigger.getBoundingClientRect();
    var width = Math.min(28 * 16, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.min(
      Math.max(8, rect.left + window.scrollX - width / 2),
      window.scrollX + document.documentElement.clientWidth - width - 8
    );
    popover.style.left = left + "px";
    var below = rect.bottom + window.scrollY + 6;
    popover.style.top = below + "px";
    // Flip above the marker when there is no room below.
    var height = popover.offsetHeight;
    if (rect.bottom + height + 12 > window.innerHeight && rect.top > height + 12) {
      popover.style.top = rect.top + window.scrollY - height - 6 + "px";
    }
    var box = popover.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) popover.scrollIntoView({ block: "nearest", behavior: "instant" });
  }

  function show(trigger) {
    var note = noteFor(trigger);
    if (!note) return;
    cancelHide();
    ensurePopover();
    if (current !== trigger) {
      popover.replaceChildren(cloneContent(note));
      if (current) current.setAttribute("aria-expanded", "false");
      current = trigger;
    }
    if (popover.hidden) shownAt = Date.now();
    popover.hidden = false;
    trigger.setAttribute("aria-expanded", "true");
    place(trigger);
  }

  function hide() {
    cancelHide();
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    if (current) current.setAttribute("aria-expanded", "false");
    current = null;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, 250);
  }

  function cancelHide() {
    if (hideTimer) window.clearTimeout(hideTimer);
    hideTimer = null;
  }

  function wire(trigger) {
    var note = noteFor(trigger);
    if (!note) return;
    trigger.setAttribute("aria-describedby", note.id);
    trigger.setAttribute("aria-expanded", "false");
    var touched = false;
    trigger.addEventListener("mouseenter", function () { show(trigger); });
    trigger.addEventListener("mouseleave", scheduleHide);
    trigger.addEventListener("focus", function () { show(trigger); });
    trigger.addEventListener("blur", scheduleHide);
    trigger.addEventListener("pointerdown", function (event) {
      touched = event.pointerType === "touch" || event.pointerType === "pen";
    });
    trigger.addEventListener("click", function (event) {
      // A tap shows the note in place; a mouse click follows the link.
      if (!touched) return;
      event.preventDefault();
      // The tap's own focus event may just have shown the note: keep it.
      var justShown = Date.now() - shownAt < 400;
      if (current === trigger && !popover.hidden && !justShown) hide(); else show(trigger);
    });
    trigger.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        show(trigger);
      } else if (event.key === "Escape") {
        hide();
      }
    });
  }

  /* Margin notes: copies of the notes beside their markers, without overlap. */
  function layoutMargin() {
    var article = document.querySelector(".bd-article");
    if (!article) return;
    Array.prototype.forEach.call(article.querySelectorAll(".edition-margin-note"), function (el) {
      el.remove();
    });
    var markers = article.querySelectorAll("a.edition-noteref[data-edition-target]");
    var reading = document.documentElement.classList.contains("edition-reading");
    if (!WIDE.matches || !markers.length || reading) {
      document.body.classList.remove("edition-has-margin-notes");
      return;
    }
    document.body.classList.add("edition-has-margin-notes");
    var base = article.getBoundingClientRect().top + window.scrollY;
    var nextFree = 0;
    Array.prototype.forEach.call(markers, function (marker) {
      var note = noteFor(marker);
      if (!note) return;
      var aside = document.createElement("div");
      aside.className = "edition-margin-note " + note.className.replace(/\bfootnote\b|\bbrackets\b/g, "");
      aside.setAttribute("aria-hidden", "true");
      aside.setAttribute("lang", "en");
      var number = document.createElement("span");
      number.className = "edition-margin-number";
      // The marker's number is generated content (data-note), not text.
      number.textContent = marker.getAttribute("data-note") || marker.textContent.replace(/[\[\]]/g, "");
      aside.appendChild(number);
      aside.appendChild(cloneContent(note));
      // Links in the copies stay out of the tab order: the note list has them.
      Array.prototype.forEach.call(aside.querySelectorAll("a"), function (a) {
        a.setAttribute("tabindex", "-1");
      });
      article.appendChild(aside);
      var wanted = marker.getBoundingClientRect().top + window.scrollY - base;
      var top = Math.max(wanted, nextFree);
      // A margin note far from its marker misleads more than it helps: in dense
      // passages the rest wait in the popover and the note list.
      if (top - wanted > MAX_DRIFT) {
        aside.remove();
        return;
      }
      aside.style.top = top + "px";
      nextFree = top + aside.offsetHeight + 8;
    });
  }

  /* The theme's search buttons are labelled "Search" while they show
   * "Search Ctrl+K": let the visible text be the accessible name (WCAG 2.5.3). */
  function fixThemeControls() {
    Array.prototype.forEach.call(document.querySelectorAll(".search-button-field[aria-label]"), function (button) {
      button.removeAttribute("aria-label");
    });
  }

  function init() {
    fixThemeControls();
    // Note markers point at their note on this page.
    Array.prototype.forEach.call(document.querySelectorAll("a.edition-noteref"), function (trigger) {
      var href = trigger.getAttribute("href") || "";
      if (href.charAt(0) === "#") trigger.setAttribute("data-edition-target", href.slice(1));
      wire(trigger);
    });
    // Links to glossary (and register) entries show the entry's short
    // definition, kept hidden on this page as def-<key>.
    Array.prototype.forEach.call(document.querySelectorAll("a.reference .edition-term"), function (term) {
      var key = Array.prototype.find.call(term.classList, function (c) { return c.indexOf("edition-key-") === 0; });
      var link = term.closest("a");
      if (!key || !link) return;
      var id = "def-" + key.slice("edition-key-".length);
      if (!document.getElementById(id)) return;
      link.setAttribute("data-edition-target", id);
      link.classList.add("edition-termref");
      wire(link);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    layoutMargin();
    var pending = null;
    window.addEventListener("resize", function () {
      hide();
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(layoutMargin, 150);
    });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(layoutMargin);
    // Other scripts (reading mode, Cite buttons) add controls above the text after this
    // ran; a change in the article's height moves every marker: lay out again.
    var article = document.querySelector(".bd-article");
    if (article && window.ResizeObserver) {
      var lastHeight = 0;
      new ResizeObserver(function (entries) {
        var height = Math.round(entries[0].contentRect.height);
        if (height === lastHeight) return;
        lastHeight = height;
        if (pending) window.clearTimeout(pending);
        pending = window.setTimeout(layoutMargin, 100);
      }).observe(article);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
