// Names modeltranslation's language tabs and its switch of every tab by each language's own
// name (中文 / English) rather than its code (ZH-HANS / EN), on forms and on inline rows added
// later. A plain script file:
// the admin's CSP allows no inline code.
(function () {
  "use strict";
  var source = document.getElementById("language-labels");
  if (!source) return;
  var labels = JSON.parse(source.textContent);

  function relabel() {
    var unnamed = ".ui-tabs-nav a:not(.language-tab), .modeltranslation-switch option:not(.language-tab)";
    document.querySelectorAll(unnamed).forEach(function (tab) {
      var code = tab.textContent.trim().toLowerCase().replace("_", "-");
      if (labels[code]) {
        tab.textContent = labels[code];
        tab.classList.add("language-tab");
      }
    });
  }

  relabel();
  new MutationObserver(relabel).observe(document.body, { childList: true, subtree: true });
})();
