// Small enhancements only: every page works without this file.
(function () {
  "use strict";

  // Pages that read well on paper get a "Print this page" button; without
  // JavaScript the browser's own print command does the same.
  function addPrintButtons() {
    document.querySelectorAll("[data-print-target]").forEach(function (slot) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small";
      button.textContent = "Print this page";
      button.addEventListener("click", function () {
        window.print();
      });
      slot.appendChild(button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addPrintButtons);
  } else {
    addPrintButtons();
  }
})();
