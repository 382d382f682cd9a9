/* The Cite menu: a text, any ¶ or any note as a Chicago note, BibTeX and CSL-JSON.
 *
 * The build embeds, on each text's page, the three forms for the text and
 * templates for a ¶ and a note (#edition-cite-data, from CITATION.cff and the
 * text's front matter: edition.citation). Here they are filled in with the
 * number and the permanent link, shown in a small dialog with a Copy button
 * each, and the text's citation files are offered for download.
 *
 * Keyboard: every Cite button is a real button (Enter or Space opens the
 * menu); focus moves to the first Copy button; Escape or Close closes the
 * menu and focus returns to the button that opened it. A status line
 * announces what was copied. All text is set with textContent.
 */
(function () {
  "use strict";

  var data = null;
  var dialog = null;
  var opener = null;

  function fill(template, number, fragment) {
    var p = data.placeholders;
    // Templates carry the URL placeholder only when the edition has a canonical address.
    var url = data.url || "";
    return template.split(p.number).join(number).split(p.fragment).join(fragment).split(p.url).join(url);
  }

  function forms(kind, number, fragment) {
    var t = data.templates[kind];
    return {
      chicago: fill(t.chicago, number, fragment),
      bibtex: fill(t.bibtex, number, fragment),
      csl: fill(t.csl, number, fragment),
      cslCitation: t.csl_citation ? fill(t.csl_citation, number, fragment) : ""
    };
  }

  /* "*Title*" marks italics in the Chicago note: shown in italics, copied without the stars. */
  function chicagoNodes(text) {
    var fragment = document.createDocumentFragment();
    text.split("*").forEach(function (part, index) {
      if (!part) return;
      if (index % 2) {
        var em = document.createElement("em");
        em.textContent = part;
        fragment.appendChild(em);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function ensureDialog() {
    if (dialog) return dialog;
    dialog = element("div", "edition-cite-dialog edition-apparatus");
    dialog.id = "edition-cite-dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "false");
    dialog.setAttribute("aria-labelledby", "edition-cite-title");
    dialog.setAttribute("lang", "en");
    dialog.hidden = true;
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function section(label, shown, copied, name) {
    var box = element("div", "edition-cite-form edition-cite-" + name);
    var head = element("div", "edition-cite-form-head");
    head.appendChild(element("span", "edition-cite-label", label));
    var button = element("button", "edition-cite-copy", "Copy");
    button.type = "button";
    button.setAttribute("aria-label", "Copy " + label);
    button.setAttribute("data-edition-copy", name);
    button.addEventListener("click", function () {
      var status = dialog.querySelector(".edition-cite-status");
      copyText(copied).then(
        function () { status.textContent = label + " copied."; },
        function () { status.textContent = "Could not copy; select the text and copy it."; }
      );
    });
    head.appendChild(button);
    box.appendChild(head);
    var body = element("pre", "edition-cite-text");
    body.setAttribute("tabindex", "0");
    body.setAttribute("aria-label", label);
    if (typeof shown === "string") body.textContent = shown; else body.appendChild(shown);
    box.appendChild(body);
    return box;
  }

  /* *quote* (a selected passage): shown first; the CSL forms link to it with
   * *linkFragment* (a text fragment, for tools). The Chicago note and BibTeX keep the
   * plain ¶ link: a percent-encoded text fragment is no address for a reader to copy. */
  function open(button, kind, number, fragment, title, quote, linkFragment) {
    ensureDialog();
    opener = button;
    var f = forms(kind, number, fragment);
    if (linkFragment) {
      var linked = forms(kind, number, linkFragment);
      f.csl = linked.csl;
      f.cslCitation = linked.cslCitation;
    }
    var heading = element("h2", "edition-cite-title", title);
    heading.id = "edition-cite-title";
    var parts = [heading];
    if (quote) {
      var quotation = "“" + quote + "”";
      var quoted = section("Quotation", quotation, quotation, "quote");
      var shown = quoted.querySelector(".edition-cite-text");
      if (data.textLang) shown.setAttribute("lang", data.textLang);
      parts.push(quoted);
    }
    if (!data.url) {
      parts.push(element("p", "edition-cite-no-address",
        "No link: this copy of the edition has no canonical address ('url' in CITATION.cff)."));
    }
    parts.push(section("Chicago citation", chicagoNodes(f.chicago), f.chicago.split("*").join(""), "chicago"));
    parts.push(section("BibTeX", f.bibtex, f.bibtex, "bibtex"));
    parts.push(section("CSL-JSON", f.csl, f.csl, "csl"));
    if (f.cslCitation) parts.push(section("CSL citation", f.cslCitation, f.cslCitation, "csl-citation"));
    var downloads = element("p", "edition-cite-downloads", "Download the text's citation: ");
    [["bib", "BibTeX"], ["json", "CSL-JSON"], ["txt", "Chicago"]].forEach(function (pair, index) {
      if (!data.downloads[pair[0]]) return;
      if (index) downloads.appendChild(document.createTextNode(" · "));
      var link = element("a", "edition-cite-download", pair[1]);
      link.href = data.downloads[pair[0]];
      link.setAttribute("download", "");
      downloads.appendChild(link);
    });
    parts.push(downloads);
    var status = element("p", "edition-cite-status");
    status.setAttribute("role", "status");
    parts.push(status);
    var closer = element("button", "edition-cite-close", "Close");
    closer.type = "button";
    closer.addEventListener("click", close);
    parts.push(closer);
    dialog.replaceChildren.apply(dialog, parts);
    dialog.hidden = false;
    place(button);
    document.querySelectorAll(".edition-cite-button[aria-expanded=true]").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
    });
    button.setAttribute("aria-expanded", "true");
    dialog.querySelector(".edition-cite-copy").focus();
  }

  function place(button) {
    var rect = button.getBoundingClientRect();
    var width = Math.min(36 * 16, document.documentElement.clientWidth - 16);
    dialog.style.width = width + "px";
    var left = Math.min(Math.max(8, rect.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
    dialog.style.left = left + "px";
    dialog.style.top = rect.bottom + window.scrollY + 6 + "px";
    // On a small screen, bring all of it into view (it is never taller than the screen).
    var box = dialog.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) dialog.scrollIntoView({ block: "nearest", behavior: "instant" });
  }

  function close() {
    if (!dialog || dialog.hidden) return;
    dialog.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
    opener = null;
  }

  function citeButton(label, kind, number, fragment, title) {
    var button = element("button", "edition-cite-button edition-apparatus edition-cite-" + kind);
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "edition-cite-dialog");
    button.setAttribute("lang", "en");
    button.addEventListener("click", function () {
      if (dialog && !dialog.hidden && opener === button) close();
      else open(button, kind, number, fragment, title);
    });
    return button;
  }

  /* For the selection menu (edition-select.js): cite a passage of a ¶, and copy. */
  window.editionCite = {
    openPassage: function (button, number, fragment, linkFragment, quote, lang) {
      if (!data) return;
      data.textLang = lang || "";
      open(button, "paragraph", number, fragment, "Cite a passage of ¶" + number, quote, linkFragment);
    },
    copy: copyText
  };

  function init() {
    var script = document.getElementById("edition-cite-data");
    if (!script) return;
    try { data = JSON.parse(script.textContent); } catch (e) { return; }
    // The text's own button closes its "About this text" box (or follows the title).
    var about = document.querySelector(".bd-article .edition-source");
    var heading = document.querySelector(".bd-article h1");
    var textButton = citeButton("Cite this text", "text", "", "", "Cite this text");
    textButton.classList.add("edition-cite-whole");
    if (about) about.appendChild(textButton);
    else if (heading) heading.parentNode.insertBefore(textButton, heading.nextSibling);
    document.querySelectorAll("a.edition-pn[data-pn]").forEach(function (pn) {
      var number = pn.getAttribute("data-pn");
      var target = "p-" + number;
      pn.parentNode.insertBefore(citeButton("Cite paragraph " + number, "paragraph", number, target, "Cite ¶" + number), pn.nextSibling);
    });
    document.querySelectorAll("aside.footnote.edition-note").forEach(function (note) {
      var label = note.querySelector(".label");
      if (!label || !note.id) return;
      var number = label.textContent.replace(/[\[\]\s]/g, "");
      label.appendChild(citeButton("Cite note " + number, "note", number, note.id, "Cite note " + number));
    });
    document.addEventListener("click", function (event) {
      if (dialog && !dialog.hidden && !dialog.contains(event.target) && !event.target.closest(".edition-cite-button")) close();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
