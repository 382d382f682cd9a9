/* Select a passage of a text: copy a link to it, cite it, or suggest a note.
 *
 * When a selection (by mouse, touch or keyboard) lies in one block of the
 * reading text, a small menu appears below it:
 *  - Copy link: the page address with the ¶ anchor and a text fragment
 *    (#p-12:~:text=…), which Chromium scrolls to and highlights;
 *  - Cite passage: the Cite menu (edition-cite.js) for that ¶, quoting it;
 *  - Suggest a note: a ready entry for the text's notes file.
 *
 * The passage is the reading text as `edition check` sees it: note markers,
 * [sic], ¶ numbers and every other piece of apparatus are left out, the
 * text's own characters are kept. Whether it needs `prefix`/`suffix` or
 * `paragraph` is decided with anchoring/text_quotes.py's rules, mirrored here: text is
 * compared NFC-normalised, runs of whitespace as one space, soft hyphens and
 * zero-width characters ignored; a passage must occur exactly once.
 *
 * Keyboard: the menu follows its block in the tab order (Tab reaches it from
 * a caret-browsing selection), Shift+F10 or the context-menu key jumps to it,
 * Escape closes it; a status line says so when it appears. All text is set
 * with textContent.
 */
(function () {
  "use strict";

  var BLOCKS = "p.edition-para, p.attribution";
  var SKIPPED = ".edition-apparatus, .edition-pn, script, style, .edition-select-menu";
  var IGNORED = /[\u00ad\u200b\u200c\u200d\u2060\ufeff\r]/g;
  // Python's str.isspace(): JavaScript's \s and a few separators more.
  var SPACES = /[\s\x1c-\x1f\x85]+/g;
  var EDGE_SPACES = /^[\s\x1c-\x1f\x85\u00ad\u200b\u200c\u200d\u2060]+|[\s\x1c-\x1f\x85\u00ad\u200b\u200c\u200d\u2060]+$/g;
  var MAX = { exact: 500, context: 200 };

  var data = null;
  var menu = null;
  var panel = null;
  var status = null;
  var passage = null;
  var pending = null;

  /* --- The reading text ------------------------------------------------------------ */

  function normalise(text) {
    return text.normalize("NFC").replace(IGNORED, "").replace(SPACES, " ");
  }

  function isSkipped(node, block) {
    for (var el = node.parentNode; el && el !== block; el = el.parentNode) {
      if (el.matches && el.matches(SKIPPED)) return true;
    }
    return false;
  }

  /* The block's reading-text nodes, each with its offset in the block's text. */
  function readingNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var list = [];
    var offset = 0;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (isSkipped(node, block)) continue;
      list.push({ node: node, offset: offset });
      offset += node.data.length;
    }
    return list;
  }

  function blockText(nodes) {
    return nodes.map(function (n) { return n.node.data; }).join("");
  }

  function blockNumber(block) {
    var match = /^p-(\d+)$/.exec(block.id || "");
    return match ? parseInt(match[1], 10) : null;
  }

  /* The ¶ a block belongs to: its own, or (an attribution line) the last one before it. */
  function paragraphFor(block) {
    var number = blockNumber(block);
    if (number !== null) return number;
    var all = Array.prototype.slice.call(document.querySelectorAll(BLOCKS));
    for (var i = all.indexOf(block) - 1; i >= 0; i--) {
      number = blockNumber(all[i]);
      if (number !== null) return number;
    }
    return null;
  }

  /* The part of *range* in *block*'s reading text, as offsets, or null. */
  function offsetsIn(block, range) {
    var nodes = readingNodes(block);
    var start = null;
    var end = null;
    nodes.forEach(function (n) {
      if (!range.intersectsNode(n.node)) return;
      var from = n.node === range.startContainer ? range.startOffset : 0;
      var to = n.node === range.endContainer ? range.endOffset : n.node.data.length;
      if (range.comparePoint(n.node, 0) > 0) return; // starts after the range ends
      if (start === null) start = n.offset + from;
      end = n.offset + to;
    });
    if (start === null || end <= start) return null;
    var text = blockText(nodes);
    // Leave out spaces (and invisible characters) at either end.
    var lead = /^[\s\x1c-\x1f\x85\u00ad\u200b\u200c\u200d\u2060]*/.exec(text.slice(start, end))[0].length;
    start += lead;
    var trail = /[\s\x1c-\x1f\x85\u00ad\u200b\u200c\u200d\u2060]*$/.exec(text.slice(start, end))[0].length;
    end -= trail;
    if (end <= start) return null;
    return { nodes: nodes, text: text, start: start, end: end };
  }

  function allBlocks() {
    return Array.prototype.filter.call(document.querySelectorAll(BLOCKS), function (block) {
      return !block.closest(".edition-apparatus");
    }).map(function (block) {
      var text = blockText(readingNodes(block));
      return { element: block, number: blockNumber(block), normalised: normalise(text) };
    });
  }

  /* anchoring._matches: every (block, offset) where the anchor matches. */
  function matches(anchor, blocks) {
    var exact = normalise(anchor.exact);
    var prefix = anchor.prefix ? normalise(anchor.prefix) : "";
    var suffix = anchor.suffix ? normalise(anchor.suffix) : "";
    var found = [];
    blocks.forEach(function (block, index) {
      if (anchor.paragraph != null && block.number !== anchor.paragraph) return;
      var text = block.normalised;
      for (var at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
        var end = at + exact.length;
        if (text.slice(0, at).endsWith(prefix) && text.slice(end).startsWith(suffix)) found.push([index, at]);
      }
    });
    return found;
  }

  /* Word starts (before) and ends (after) for context, in the text's language. */
  function wordBounds(text, lang) {
    var bounds = [];
    if (window.Intl && Intl.Segmenter) {
      var segments = new Intl.Segmenter(lang || undefined, { granularity: "word" }).segment(text);
      for (var s of segments) {
        if (s.isWordLike) bounds.push([s.index, s.index + s.segment.length]);
      }
    } else {
      var re = /\S+/g;
      var m;
      while ((m = re.exec(text))) bounds.push([m.index, m.index + m[0].length]);
    }
    return bounds;
  }

  function contexts(text, start, end, lang) {
    var bounds = wordBounds(text, lang);
    var prefixes = bounds.filter(function (b) { return b[0] < start; }).map(function (b) {
      return text.slice(b[0], start);
    }).reverse();
    var suffixes = bounds.filter(function (b) { return b[1] > end; }).map(function (b) {
      return text.slice(end, b[1]);
    });
    return { prefixes: prefixes, suffixes: suffixes };
  }

  /* The shortest anchor that matches this passage and nothing else. */
  function uniqueAnchor(sel, blockIndex, blocks, lang) {
    var exact = sel.text.slice(sel.start, sel.end);
    var at = normalise(sel.text.slice(0, sel.start)).length;
    function only(anchor) {
      var found = matches(anchor, blocks);
      return found.length === 1 && found[0][0] === blockIndex && found[0][1] === at;
    }
    var number = blocks[blockIndex].number;
    var tries = [{ exact: exact }];
    if (number !== null) tries.push({ exact: exact, paragraph: number });
    var ctx = contexts(sel.text, sel.start, sel.end, lang);
    var steps = Math.max(ctx.prefixes.length, ctx.suffixes.length);
    [false, true].forEach(function (withParagraph) {
      if (withParagraph && number === null) return;
      for (var k = 0; k < steps; k++) {
        var prefix = ctx.prefixes[Math.min(k, ctx.prefixes.length - 1)];
        var suffix = ctx.suffixes[Math.min(k, ctx.suffixes.length - 1)];
        [[prefix, null], [null, suffix], [prefix, suffix]].forEach(function (pair) {
          var anchor = { exact: exact };
          if (pair[0]) anchor.prefix = pair[0];
          if (pair[1]) anchor.suffix = pair[1];
          if (!anchor.prefix && !anchor.suffix) return;
          if (withParagraph) anchor.paragraph = number;
          tries.push(anchor);
        });
      }
    });
    for (var i = 0; i < tries.length; i++) {
      var t = tries[i];
      if ((t.prefix || "").length > MAX.context || (t.suffix || "").length > MAX.context) continue;
      if (only(t)) return t;
    }
    return null;
  }

  /* --- The current passage ----------------------------------------------------------- */

  function blockOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var block = el && el.closest(BLOCKS);
    return block && !block.closest(".edition-apparatus") ? block : null;
  }

  /* The selected passage, if it lies in one block of the reading text. */
  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    // The blocks with selected text (a triple click also touches the start of the next one).
    var inside = Array.prototype.filter.call(document.querySelectorAll(BLOCKS), function (b) {
      return range.intersectsNode(b) && !b.closest(".edition-apparatus");
    }).map(function (b) { return [b, offsetsIn(b, range)]; }).filter(function (pair) { return pair[1]; });
    if (inside.length !== 1) return null;
    var block = inside[0][0];
    var sel = inside[0][1];
    // It starts in that block: not in a heading or the apparatus before it.
    if (blockOf(range.startContainer) !== block && !block.contains(range.startContainer)) {
      var before = range.cloneRange();
      before.setEnd(block, 0);
      if (before.toString().trim()) return null;
    }
    var langHolder = block.closest("[lang]");
    return {
      block: block,
      sel: sel,
      exact: sel.text.slice(sel.start, sel.end),
      number: paragraphFor(block),
      lang: langHolder ? langHolder.getAttribute("lang") : "",
      rect: range.getBoundingClientRect()
    };
  }

  /* --- Copy link: a text fragment ---------------------------------------------------- */

  function encodeDirective(text) {
    return encodeURIComponent(text).replace(/-/g, "%2D");
  }

  function snapToWords(text, start, end, lang) {
    wordBounds(text, lang).forEach(function (b) {
      if (b[0] < start && start < b[1]) start = b[0];
      if (b[0] < end && end < b[1]) end = b[1];
    });
    return [start, end];
  }

  function textFragment(p) {
    var text = p.sel.text;
    var span = snapToWords(text, p.sel.start, p.sel.end, p.lang);
    var start = span[0];
    var end = span[1];
    // Note markers and [sic] have no characters on the page (generated content): the
    // passage is one run of the page's text, context included, markers or not.
    var parts = [text.slice(start, end)];
    parts = parts.map(function (s) { return s.replace(SPACES, " "); });
    // Context when the words occur earlier on the page (Chromium takes the first match).
    var before = text.slice(0, start);
    var after = text.slice(end);
    var shown = normalise(document.querySelector(".bd-article").innerText || "").toLowerCase();
    var first = normalise(parts[0]).toLowerCase();
    var directive = parts.map(encodeDirective).join(",");
    if (shown.indexOf(first) !== shown.lastIndexOf(first)) {
      var words = wordBounds(before, p.lang);
      var prefix = words.length ? before.slice(words[Math.max(0, words.length - 3)][0]).trim() : "";
      var afterWords = wordBounds(after, p.lang);
      var suffix = afterWords.length ? after.slice(0, afterWords[Math.min(2, afterWords.length - 1)][1]).trim() : "";
      if (prefix) directive = encodeDirective(prefix.replace(SPACES, " ")) + "-," + directive;
      if (suffix) directive += ",-" + encodeDirective(suffix.replace(SPACES, " "));
    }
    return "p-" + p.number + ":~:text=" + directive;
  }

  function pageAddress() {
    var cite = document.getElementById("edition-cite-data");
    var url = "";
    try { url = cite ? JSON.parse(cite.textContent).url : ""; } catch (e) { url = ""; }
    return url || window.location.href.split("#")[0];
  }

  /* --- Suggest a note: the YAML entry ------------------------------------------------- */

  /* A YAML double-quoted scalar: escapes for what YAML would fold or refuse. */
  function yamlString(text) {
    var out = '"';
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 ||
               code === 0xfeff || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
        out += code <= 0xff ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
      } else out += ch;
    }
    return out + '"';
  }

  function hash(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(36);
  }

  function freshId(p) {
    var taken = {};
    document.querySelectorAll("[id^='note-']").forEach(function (el) { taken[el.id.slice(5)] = true; });
    var base = (p.number ? "p" + p.number + "-" : "") + hash(data.text + "\n" + p.exact + "\n" + p.sel.start);
    var id = base;
    for (var n = 2; taken[id]; n++) id = base + "-" + n;
    return id;
  }

  /* The entry as [text, lang] pieces: passage strings carry the text's language. */
  /* A line break in the source is a space on the page (and to the anchoring). */
  function asShown(text) {
    return text.replace(/[ \t]*[\n\r]+[ \t]*/g, " ");
  }

  function entryPieces(p, anchor) {
    var pieces = [];
    function add(text, lang) { pieces.push([text, lang || ""]); }
    if (!data.notesFileExists) add("text: " + data.text + "\nnotes:\n");
    add("  - id: " + freshId(p) + "\n");
    add("    kind: editorial  # or translation, sic, source\n");
    add("    anchor:\n");
    add("      exact: ");
    add(yamlString(asShown(anchor.exact)), p.lang);
    add("\n");
    ["prefix", "suffix"].forEach(function (key) {
      if (!anchor[key]) return;
      add("      " + key + ": ");
      add(yamlString(asShown(anchor[key])), p.lang);
      add("\n");
    });
    if (anchor.paragraph != null) add("      paragraph: " + anchor.paragraph + "\n");
    add("    body: |\n      Write the note here, in English.\n");
    return pieces;
  }

  /* --- The menu and the panel ---------------------------------------------------------- */

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function copy(text) {
    if (window.editionCite && window.editionCite.copy) return window.editionCite.copy(text);
    return navigator.clipboard.writeText(text);
  }

  function say(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 30);
  }

  function button(label, action, name) {
    var b = element("button", "edition-select-action edition-select-" + name, label);
    b.type = "button";
    b.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the selection
    b.addEventListener("click", function (event) {
      event.stopPropagation();
      action(b);
    });
    return b;
  }

  function ensureMenu() {
    if (menu) return menu;
    menu = element("div", "edition-select-menu edition-apparatus");
    menu.setAttribute("role", "group");
    menu.setAttribute("aria-label", "Selected passage");
    menu.setAttribute("lang", "en");
    menu.hidden = true;
    menu.appendChild(button("Copy link", copyLink, "link"));
    menu.appendChild(button("Cite passage", citePassage, "cite"));
    menu.appendChild(button("Suggest a note", suggestNote, "note"));
    status = element("p", "edition-select-status visually-hidden");
    status.setAttribute("role", "status");
    document.body.appendChild(status);
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        hideMenu(true);
      }
    });
    return menu;
  }

  function placeBox(box, rect) {
    var width = document.documentElement.clientWidth;
    box.style.maxWidth = width - 16 + "px";
    var boxWidth = box.offsetWidth;
    var left = Math.min(Math.max(8, rect.left + window.scrollX), window.scrollX + width - boxWidth - 8);
    box.style.left = Math.max(window.scrollX + 8, left) + "px";
    var top = rect.bottom + window.scrollY + 8;
    // Above the selection when there is no room below (touch selection handles sit below too).
    if (rect.bottom + box.offsetHeight + 16 > window.innerHeight && rect.top > box.offsetHeight + 16) {
      top = rect.top + window.scrollY - box.offsetHeight - 8;
    }
    box.style.top = top + "px";
    // Those are page coordinates: correct for a positioned ancestor.
    var placed = box.getBoundingClientRect();
    box.style.left = parseFloat(box.style.left) + (parseFloat(box.style.left) - window.scrollX - placed.left) + "px";
    box.style.top = top + (top - window.scrollY - placed.top) + "px";
  }

  function showMenu(p) {
    ensureMenu();
    passage = p;
    // After its block, so Tab reaches it from a keyboard selection.
    if (menu.previousElementSibling !== p.block) p.block.parentNode.insertBefore(menu, p.block.nextSibling);
    if (menu.hidden) say("Passage selected. Its menu follows the paragraph, or press Shift+F10.");
    menu.hidden = false;
    placeBox(menu, p.rect);
  }

  function hideMenu(returnFocus) {
    if (!menu || menu.hidden) return;
    var inMenu = menu.contains(document.activeElement);
    menu.hidden = true;
    if (returnFocus && inMenu && passage) {
      var target = passage.block.querySelector("a.edition-pn") || passage.block;
      target.focus();
    }
  }

  function copyLink() {
    if (!passage) return;
    var link = pageAddress() + "#" + textFragment(passage);
    copy(link).then(function () { say("Link to the passage copied."); },
                    function () { say("Could not copy the link."); });
    menu.setAttribute("data-edition-link", link);
  }

  function citePassage(opener) {
    if (!passage || !window.editionCite) return;
    window.editionCite.openPassage(opener, passage.number, "p-" + passage.number, textFragment(passage),
                                   passage.exact.replace(SPACES, " "), passage.lang);
  }

  function closePanel() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    var opener = menu && menu.querySelector(".edition-select-note");
    if (opener && !menu.hidden) opener.focus();
  }

  function ensurePanel() {
    if (panel) return panel;
    panel = element("div", "edition-select-panel edition-apparatus");
    panel.id = "edition-select-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "edition-select-panel-title");
    panel.setAttribute("lang", "en");
    panel.hidden = true;
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closePanel();
      }
    });
    document.body.appendChild(panel);
    return panel;
  }

  function suggestNote() {
    if (!passage) return;
    ensurePanel();
    var p = passage;
    var heading = element("h2", "edition-select-panel-title", "Suggest a note");
    heading.id = "edition-select-panel-title";
    var parts = [heading];
    var anchor = p.exact.length <= MAX.exact ? uniqueAnchor(p.sel, allBlocks().findIndex(function (b) {
      return b.element === p.block;
    }), allBlocks(), p.lang) : null;
    if (!anchor) {
      parts.push(element("p", "", p.exact.length > MAX.exact
        ? "A note's passage is at most " + MAX.exact + " characters: select a shorter one."
        : "This passage cannot be told apart from another: select a longer one."));
    } else {
      var pieces = entryPieces(p, anchor);
      var where = data.notesFileExists
        ? "Add this entry to the end of " + data.notesFile + ", then write the note:"
        : "Start " + data.notesFile + " with this, then write the note:";
      parts.push(element("p", "", where));
      var pre = element("pre", "edition-select-yaml");
      pre.setAttribute("tabindex", "0");
      pre.setAttribute("aria-label", "Note entry (YAML)");
      pieces.forEach(function (piece) {
        if (piece[1]) {
          var span = element("span", "", piece[0]);
          span.setAttribute("lang", piece[1]);
          pre.appendChild(span);
        } else {
          pre.appendChild(document.createTextNode(piece[0]));
        }
      });
      var yaml = pieces.map(function (piece) { return piece[0]; }).join("");
      var copyButton = element("button", "edition-select-copy", "Copy the entry");
      copyButton.type = "button";
      var panelStatus = element("p", "edition-select-panel-status");
      panelStatus.setAttribute("role", "status");
      copyButton.addEventListener("click", function () {
        copy(yaml).then(function () { panelStatus.textContent = "Entry copied."; },
                        function () { panelStatus.textContent = "Could not copy; select the entry and copy it."; });
      });
      parts.push(pre, copyButton);
      if (data.forge && data.forge.edit) {
        var links = element("p", "edition-select-forge");
        var edit = element("a", "edition-select-edit", data.notesFileExists ? "Edit the notes file on GitHub" : "Create the notes file on GitHub");
        edit.href = data.notesFileExists ? data.forge.edit : data.forge.edit + "&value=" + encodeURIComponent(yaml);
        edit.target = "_blank";
        edit.rel = "noopener";
        var issue = element("a", "edition-select-issue", "Suggest it in an issue");
        var body = "A note on " + data.text + " (" + data.notesFile + "), at " + pageAddress() + "#" +
          (p.number ? "p-" + p.number : "") + ":\n\n```yaml\n" + yaml + "```\n";
        issue.href = data.forge.issue + "?title=" + encodeURIComponent("Note on " + data.text + (p.number ? " ¶" + p.number : "")) +
          "&body=" + encodeURIComponent(body);
        issue.target = "_blank";
        issue.rel = "noopener";
        links.appendChild(edit);
        links.appendChild(document.createTextNode(" · "));
        links.appendChild(issue);
        parts.push(links);
      }
      parts.push(panelStatus);
    }
    var closer = element("button", "edition-select-close", "Close");
    closer.type = "button";
    closer.addEventListener("click", closePanel);
    parts.push(closer);
    panel.replaceChildren.apply(panel, parts);
    panel.hidden = false;
    placeBox(panel, menu.getBoundingClientRect());
    var box = panel.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) panel.scrollIntoView({ block: "nearest", behavior: "instant" });
    (panel.querySelector(".edition-select-copy") || closer).focus();
  }

  /* --- Wiring ------------------------------------------------------------------------- */

  function update() {
    pending = null;
    var p = selectedPassage();
    if (p) {
      if (passage && panel && !panel.hidden && (p.block !== passage.block || p.exact !== passage.exact)) panel.hidden = true;
      showMenu(p);
      return;
    }
    // Using the menu may clear the selection: keep it while focus is in it or its dialogs.
    var focus = document.activeElement;
    var cite = document.getElementById("edition-cite-dialog");
    if ([menu, panel, cite].some(function (box) { return box && !box.hidden && box.contains(focus); })) return;
    hideMenu(false);
  }

  function schedule() {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(update, 200);
  }

  function init() {
    var script = document.getElementById("edition-select-data");
    if (!script) return;
    try { data = JSON.parse(script.textContent); } catch (e) { return; }
    document.addEventListener("selectionchange", schedule);
    document.addEventListener("keydown", function (event) {
      if (!menu || menu.hidden) return;
      if (event.key === "Escape" && !(panel && !panel.hidden)) hideMenu(true);
      // The keyboard's context-menu keys open the menu (a right click stays the browser's).
      if ((event.key === "F10" && event.shiftKey) || event.key === "ContextMenu") {
        if (menu.contains(document.activeElement)) return;
        event.preventDefault();
        menu.querySelector("button").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (panel && !panel.hidden && !panel.contains(event.target) && !(menu && menu.contains(event.target))) closePanel();
    });
    window.addEventListener("resize", function () {
      if (menu && !menu.hidden && passage) {
        var p = selectedPassage();
        if (p) showMenu(p); else hideMenu(false);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
