/* The edition's search: snippets and highlights that know Korean particles
 * and Russian endings.
 *
 * Sphinx's searchtools.js finds pages by the stems of edition/search.py
 * (Korean particles stripped, Russian and English words stemmed; the same
 * code runs in the browser as EditionSearch, from language_data.js). What it
 * cannot do by itself is show and mark the words it found: its snippet and its
 * highlighting look for the query's letters, and «децистов» never stands in a
 * text that has «децистами». This script:
 *  - on the search page, makes each result's snippet from the passage of the
 *    hit, in that passage's language (lang attribute), with every word that
 *    stands under a searched stem marked, and adds ?highlight=… to the result
 *    links, so the page opened (also in a new tab) knows what was searched;
 *  - on the other pages, marks those words (span.highlighted, which the theme
 *    colours and Escape clears) and brings the first into view. It takes the
 *    words over from sphinx_highlight.js, which would only mark exact letters.
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}_]+/gu;
  var BLOCKS = "p, li, dt, dd, td, th, blockquote, h1, h2, h3, h4, h5, h6, figcaption, pre, caption";
  /* Not part of what a reader reads: hidden copies, paragraph numbers, note
   * markers, heading links. */
  var SKIP = "[hidden], script, style, template, button, select, textarea, .headerlink, " +
    ".edition-pn, .edition-noteref, .highlighted, .nohighlight";
  var SNIPPET = 240;
  var HIGHLIGHT_KEY = "sphinx_highlight_terms";

  /* The terms of a query, as searchtools.js's _parseQuery makes them. */
  function queryStems(query) {
    var stems = new Set();
    splitQuery(query.trim()).forEach(function (word) {
      var lower = word.toLowerCase();
      if (stopwords.has(lower) || /^\d+$/.test(lower)) return;
      stems.add(EditionSearch.stemQuery(lower));
    });
    return stems;
  }

  /* A matcher for words of the text: exact (a word stands under a searched
   * stem) or, as searchtools.js also does for terms longer than two
   * characters, partial (one of the word's stems contains it). */
  function matcher(stems, partial) {
    var list = Array.from(stems).map(function (s) { return s.toLowerCase(); });
    return function (word) {
      var terms = EditionSearch.termsOf(word.normalize("NFC"));
      return list.some(function (stem) {
        return terms.some(function (term) {
          return term === stem || (partial && stem.length > 2 && term.indexOf(stem) >= 0);
        });
      });
    };
  }

  function textNodes(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (parent && parent.closest(SKIP)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  /* [start, end] of each matching word in a string. */
  function hits(text, matches) {
    var found = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (matches(m[0])) found.push([m.index, m.index + m[0].length]);
    }
    return found;
  }

  /* Wrap the matching words of a text node in span.highlighted. */
  function markNode(node, matches) {
    var found = hits(node.nodeValue, matches);
    if (!found.length) return [];
    var text = node.nodeValue;
    var fragment = document.createDocumentFragment();
    var spans = [];
    var at = 0;
    found.forEach(function (range) {
      if (range[0] > at) fragment.appendChild(document.createTextNode(text.slice(at, range[0])));
      var span = document.createElement("span");
      span.className = "highlighted";
      span.textContent = text.slice(range[0], range[1]);
      fragment.appendChild(span);
      spans.push(span);
      at = range[1];
    });
    if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(fragment, node);
    return spans;
  }

  function markAll(root, stems) {
    var nodes = textNodes(root);
    var spans = [];
    [false, true].some(function (partial) {
      var matches = matcher(stems, partial);
      nodes.forEach(function (node) { spans.push.apply(spans, markNode(node, matches)); });
      return spans.length > 0;
    });
    return spans;
  }

  /* ---- search page ------------------------------------------------------ */

  /* Lists that repeat titles (a glossary entry's "Used in", "See also"): a hit
   * there is shown only when there is none elsewhere. */
  var SECONDARY = ".edition-used-in, .edition-related";
  var TITLES = "h1, h2, h3, h4, h5, h6, .edition-text-header";

  function findHit(nodes, keywords) {
    var hit = null;
    [false, true].some(function (partial) {
      var matches = matcher(keywords, partial);
      return nodes.some(function (node) {
        var found = hits(node.nodeValue, matches);
        if (found.length) hit = { node: node, at: found[0][0], matches: matches };
        return hit !== null;
      });
    });
    return hit;
  }

  /* The hit to show: at the result's anchor if it has one (index entries
   * point at empty targets inside a paragraph: that paragraph), else the
   * first in the page's article, outside SECONDARY lists if possible. */
  function locateHit(doc, keywords, anchor) {
    var target = anchor && anchor.length > 1 ?
      doc.getElementById(decodeURIComponent(anchor.slice(1))) : null;
    if (target) {
      var block = target.parentElement && target.parentElement.closest(BLOCKS);
      var hit = findHit(textNodes(target), keywords) || (block && findHit(textNodes(block), keywords));
      if (hit) return hit;
      var after = block && textNodes(block).filter(function (node) {
        return target.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
      })[0];
      if (after) return { node: after, at: 0, matches: matcher(keywords, false) };
    }
    var article = doc.querySelector("article.bd-article") ||
      doc.querySelector('[role="main"]') || doc.body;
    var nodes = textNodes(article);
    var primary = nodes.filter(function (node) { return !node.parentElement.closest(SECONDARY); });
    // A passage that matches says more than the title that matched it: headings and a
    // text's title block (and its "About this text" box) only when nothing else matches.
    var passages = primary.filter(function (node) { return !node.parentElement.closest(TITLES); });
    return findHit(passages, keywords) || findHit(primary, keywords) || findHit(nodes, keywords);
  }

  function makeSummary(htmlText, keywords, anchor) {
    var doc = new DOMParser().parseFromString(htmlText, "text/html");
    doc.querySelectorAll(SKIP).forEach(function (el) { el.remove(); });
    var hit = locateHit(doc, keywords, anchor);
    if (hit === null) return null;
    var matches = hit.matches;

    var block = hit.node.parentElement.closest(BLOCKS) || hit.node.parentElement;
    var nodes = textNodes(block);
    var offset = 0;
    nodes.some(function (node) {
      if (node === hit.node) return true;
      offset += node.nodeValue.length;
      return false;
    });
    offset += hit.at;
    var text = nodes.map(function (node) { return node.nodeValue; }).join("");
    var start = Math.max(0, offset - SNIPPET / 2);
    var end = Math.min(text.length, start + SNIPPET);
    if (start > 0) {
      var space = text.slice(start, offset).search(/\s/);
      if (space >= 0) start += space + 1;
    }
    if (end < text.length) {
      var last = text.slice(offset, end).search(/\s\S*$/);
      if (last > 0) end = offset + last;
    }

    /* The snippet keeps the languages of its parts: the paragraph's as the
     * snippet's own, others (a Korean form in an English entry) marked. */
    var langOf = function (el) {
      var found = el && el.closest("[lang]");
      return found ? found.getAttribute("lang") : doc.documentElement.lang || "";
    };
    var summary = document.createElement("p");
    summary.className = "context";
    summary.lang = langOf(block);
    var segments = [];
    var pos = 0;
    nodes.forEach(function (node) {
      var from = Math.max(start, pos);
      var to = Math.min(end, pos + node.nodeValue.length);
      if (to > from) {
        var lang = langOf(node.parentElement);
        var piece = node.nodeValue.slice(from - pos, to - pos);
        var previous = segments[segments.length - 1];
        if (previous && previous.lang === lang) previous.text += piece;
        else segments.push({ text: piece, lang: lang });
      }
      pos += node.nodeValue.length;
    });
    if (start > 0) summary.appendChild(document.createTextNode("… "));
    segments.forEach(function (segment, i) {
      var piece = segment.text.replace(/\s+/g, " ");
      if (i === 0) piece = piece.replace(/^ /, "");
      if (i === segments.length - 1) piece = piece.replace(/ $/, "");
      if (!piece) return;
      var textNode = document.createTextNode(piece);
      if (segment.lang === summary.lang) {
        summary.appendChild(textNode);
      } else {
        var span = document.createElement("span");
        span.lang = segment.lang;
        span.appendChild(textNode);
        summary.appendChild(span);
      }
      markNode(textNode, matches);
    });
    if (end < text.length) summary.appendChild(document.createTextNode(" …"));
    return summary;
  }

  function installSummary() {
    var sphinxSummary = Search.makeSearchSummary;
    Search.makeSearchSummary = function (htmlText, keywords, anchor) {
      try {
        var summary = makeSummary(htmlText, keywords, anchor);
        if (summary) return summary;
      } catch (err) {
        console.warn("edition search summary:", err);
      }
      // Sphinx's own returns null for an empty anchor target, which its
      // caller then fails to append: give it an empty snippet instead.
      var fallback = sphinxSummary(htmlText, keywords, anchor);
      if (fallback) return fallback;
      var empty = document.createElement("p");
      empty.className = "context";
      return empty;
    };
  }

  function markResultLinks() {
    var query = new URLSearchParams(window.location.search).get("q");
    var results = document.getElementById("search-results");
    if (!query || !results) return;
    var words = splitQuery(query).join(" ");
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== Node.ELEMENT_NODE || !node.matches("li")) return;
          var link = node.querySelector("a[href]");
          if (!link) return;
          var url = new URL(link.href, window.location.href);
          url.searchParams.set("highlight", words);
          link.href = url.href;
        });
      });
    }).observe(results, { childList: true, subtree: true });
  }

  /* ---- other pages ------------------------------------------------------ */

  function highlightPage(words) {
    var stems = queryStems(words);
    if (!stems.size) return;
    var root = document.querySelector("article.bd-article") ||
      document.querySelector('[role="main"]') || document.body;
    var spans = markAll(root, stems);
    if (spans.length && !window.location.hash) {
      spans[0].scrollIntoView({ block: "center" });
    }
  }

  /* localStorage is refused in some contexts (EPUB readers, sandboxes). */
  function stored(remove) {
    try {
      var value = localStorage.getItem(HIGHLIGHT_KEY);
      if (remove) localStorage.removeItem(HIGHLIGHT_KEY);
      return value;
    } catch (err) {
      return null;
    }
  }

  function initPage() {
    var url = new URL(window.location.href);
    var words = url.searchParams.get("highlight") || stored(false) || "";
    if (!words.trim()) return;
    // Ours now: sphinx_highlight.js (which runs later, on DOMContentLoaded)
    // would mark the query's letters only.
    stored(true);
    if (url.searchParams.has("highlight")) {
      url.searchParams.delete("highlight");
      window.history.replaceState(window.history.state, "", url);
    }
    if (typeof EditionSearch !== "undefined") {
      // language_data.js is already there (pydata-sphinx-theme loads it on
      // every page); run once the page is parsed.
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () { highlightPage(words); });
      } else {
        highlightPage(words);
      }
      return;
    }
    var script = document.createElement("script");
    script.src = document.documentElement.dataset.content_root + "_static/language_data.js";
    script.onload = function () {
      var run = function () { highlightPage(words); };
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
      else run();
    };
    script.onerror = function () {
      if (typeof _highlightText === "function") {
        words.toLowerCase().split(/\s+/).filter(Boolean).forEach(function (term) {
          _highlightText(document.querySelector("article.bd-article") || document.body, term, "highlighted");
        });
      }
    };
    document.head.appendChild(script);
  }

  // pydata-sphinx-theme loads searchtools.js (Search) on every page, for its
  // search dialog: snippets are ours wherever Search runs. (That is also why
  // sphinx_highlight.js, which only marks words where Search is undefined,
  // never does under this theme.)
  var pagename = typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.pagename;
  var onSearchPage = pagename ? pagename === "search" : document.getElementById("search-results") !== null;
  if (typeof Search !== "undefined" && Search.makeSearchSummary) installSummary();
  if (onSearchPage) markResultLinks();
  else initPage();
})();
