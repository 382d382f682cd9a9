/* The search index in shards by script (edition/presentation/search_shards.py).
 *
 * searchindex.js holds the core of Sphinx's index; the terms of each large
 * script are in searchindex-<script>.js, listed in the core under
 * "edition_shards" with the code point ranges of the script's letters. Before
 * Sphinx's search runs a query, this loads the shards its words need: for a
 * word, those whose ranges hold one of its letters; for a word without letters
 * (numbers), all. Their terms are merged into the index (runs of pages
 * expanded), and Sphinx's Search.query does the rest unchanged. A shard that
 * cannot be loaded is reported on the page instead of an empty result.
 */
(function () {
  "use strict";

  if (typeof Search === "undefined" || !Search.query) return;

  var LETTER = /\p{L}/u;
  var loaded = {}; /* script -> Promise, settled when its terms are merged */

  window.EditionSearchShards = {
    /* Called by each shard file. */
    add: function (script, payload) {
      var pending = loaded[script];
      if (!pending || !pending.resolveWith) return;
      pending.resolveWith(payload);
    },
  };

  function inRanges(code, ranges) {
    for (var i = 0; i < ranges.length; i++) {
      if (code >= ranges[i][0] && code <= ranges[i][1]) return true;
    }
    return false;
  }

  /* The scripts whose shards a query's terms need. */
  function scriptsFor(terms, manifest) {
    var needed = new Set();
    var scripts = Object.keys(manifest);
    terms.forEach(function (term) {
      var chars = Array.from(term);
      if (!chars.some(function (c) { return LETTER.test(c); })) {
        scripts.forEach(function (s) { needed.add(s); });
        return;
      }
      chars.forEach(function (c) {
        var code = c.codePointAt(0);
        scripts.forEach(function (s) {
          if (inRanges(code, manifest[s].ranges)) needed.add(s);
        });
      });
    });
    return Array.from(needed).sort();
  }

  /* A term's page numbers as Sphinx has them: the shard writes a run of
   * pages as "start, -end" (encode_docs in search_shards.py). */
  function expand(encoded) {
    if (typeof encoded === "number") return encoded;
    var docs = [];
    encoded.forEach(function (number) {
      if (number < 0) {
        for (var doc = docs[docs.length - 1] + 1; doc <= -number; doc++) docs.push(doc);
      } else {
        docs.push(number);
      }
    });
    return docs;
  }

  function merge(index, payload) {
    ["terms", "titleterms"].forEach(function (key) {
      var target = index[key];
      var source = payload[key] || {};
      Object.keys(source).forEach(function (term) {
        /* defineProperty: a term such as "__proto__" stays an own entry. */
        Object.defineProperty(target, term, {
          value: expand(source[term]), enumerable: true, writable: true, configurable: true,
        });
      });
    });
  }

  function load(script, entry, index) {
    if (loaded[script]) return loaded[script];
    var resolveWith, rejectWith;
    var promise = new Promise(function (resolve, reject) {
      resolveWith = resolve;
      rejectWith = reject;
    }).then(function (payload) {
      merge(index, payload);
    });
    promise.resolveWith = resolveWith;
    loaded[script] = promise;
    var tag = document.createElement("script");
    tag.src = document.documentElement.dataset.content_root + entry.file +
      "?v=" + encodeURIComponent(entry.hash);
    /* After the file ran: it called add() (resolved) or it is not a shard. */
    tag.onload = tag.onerror = function () {
      rejectWith(new Error(entry.file));
      tag.remove();
    };
    document.head.appendChild(tag);
    promise.catch(function () { delete loaded[script]; }); /* a later query tries again */
    return promise;
  }

  function reportFailure(files) {
    if (typeof Search.stopPulse === "function") Search.stopPulse();
    var progress = document.getElementById("search-progress");
    if (progress) progress.textContent = "";
    var message = "Part of the search index could not be loaded (" + files.join(", ") +
      "), so this search cannot be done. Check the connection and reload the page.";
    if (Search.title) Search.title.textContent = "Search failed";
    if (Search.status) {
      Search.status.textContent = message;
      Search.status.setAttribute("role", "alert");
      Search.status.classList.add("edition-search-error");
    } else {
      console.error(message);
    }
  }

  var sphinxQuery = Search.query;
  Search.query = function (query) {
    var index = Search._index;
    var manifest = index && index.edition_shards;
    if (!manifest) return sphinxQuery(query);
    var parsed = Search._parseQuery(query);
    var terms = Array.from(parsed[1]).concat(Array.from(parsed[2]));
    var scripts = scriptsFor(terms, manifest);
    var failed = [];
    Promise.all(scripts.map(function (script) {
      return load(script, manifest[script], index).catch(function () {
        failed.push(manifest[script].file);
      });
    })).then(function () {
      if (failed.length) reportFailure(failed.sort());
      else sphinxQuery(query);
    });
  };
})();
