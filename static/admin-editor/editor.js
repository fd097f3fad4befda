/* A small toolbar for the rich text fields: wraps the selection in one of the allowed
   tags (paragraph, headings, emphasis, lists, links). No dependencies, no network. */
(function () {
  "use strict";
  var BUTTONS = [
    ["P", "p", "Paragraph"], ["H2", "h2", "Heading"], ["H3", "h3", "Subheading"],
    ["B", "strong", "Bold"], ["I", "em", "Italic"], ["• List", "ul", "Bulleted list"],
    ["1. List", "ol", "Numbered list"], ["Link", "a", "Link"]
  ];
  var gettext = window.gettext || function (text) { return text; };

  function wrap(textarea, tag) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var text = textarea.value, selected = text.slice(start, end);
    var open = "<" + tag + ">", close = "</" + tag + ">";
    if (tag === "a") {
      var href = window.prompt(gettext("Link address (https://…)"), "https://");
      if (!href) { return; }
      open = '<a href="' + href.replace(/"/g, "&quot;") + '">';
    } else if (tag === "ul" || tag === "ol") {
      var items = (selected || gettext("Item")).split(/\n+/).map(function (line) {
        return "  <li>" + line.trim() + "</li>";
      });
      selected = "\n" + items.join("\n") + "\n";
    }
    var inserted = open + selected + close;
    textarea.value = text.slice(0, start) + inserted + text.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + open.length, start + inserted.length - close.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function attach(textarea) {
    if (textarea.dataset.richToolbar) { return; }
    textarea.dataset.richToolbar = "true";
    var bar = document.createElement("div");
    bar.className = "rich-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", gettext("Formatting"));
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.title = gettext(spec[2]);
      button.addEventListener("click", function () { wrap(textarea, spec[1]); });
      bar.appendChild(button);
    });
    textarea.parentNode.insertBefore(bar, textarea);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-rich-text]").forEach(attach);
  });
})();
