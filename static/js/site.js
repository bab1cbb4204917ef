// Small enhancements only: every page works without this file.
(function () {
  "use strict";

  // Drug and article pages read well on paper (see print.css), so their header
  // gets a "Print this page" button. Without JavaScript the browser's own
  // print command does the same, so the button only exists when it works.
  var PRINTABLE = ".drug__header, .indication__header, [data-print-target]";

  function addPrintButtons() {
    document.querySelectorAll(PRINTABLE).forEach(function (slot) {
      var actions = document.createElement("p");
      actions.className = "page-actions";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small";
      button.textContent = "Print this page";
      button.addEventListener("click", function () {
        window.print();
      });
      actions.appendChild(button);
      slot.appendChild(actions);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addPrintButtons);
  } else {
    addPrintButtons();
  }
})();
