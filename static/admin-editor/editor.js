/* The toolbar of the rich text fields (core.rich_text.RichTextarea writes it, hidden, above
   each field): shown here, each button wraps the selection in one of the allowed tags.
   No dependencies, no network. */
(function () {
  "use strict";

  function wrap(textarea, bar, tag) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var text = textarea.value, selected = text.slice(start, end);
    var open = "<" + tag + ">", close = "</" + tag + ">";
    if (tag === "a") {
      var href = window.prompt(bar.dataset.linkPrompt, "https://");
      if (!href) { return; }
      open = '<a href="' + href.replace(/"/g, "&quot;") + '">';
    } else if (tag === "ul" || tag === "ol") {
      var items = (selected || bar.dataset.item).split(/\n+/).map(function (line) {
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

  function attach(bar) {
    var textarea = bar.parentNode.querySelector("textarea[data-rich-text]");
    if (!textarea || !bar.hidden) { return; }
    bar.querySelectorAll("button[data-tag]").forEach(function (button) {
      button.addEventListener("click", function () { wrap(textarea, bar, button.dataset.tag); });
    });
    bar.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".rich-text > .rich-toolbar").forEach(attach);
  });
})();
