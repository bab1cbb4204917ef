// The interaction checker: names suggested as you type, and rows added on demand.
// Without this script the form has four rows and still works: the server resolves
// any name (brand, generic, misspelt) when the form is sent.
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;

  function setUp(form) {
    var url = form.getAttribute("data-autocomplete-url");
    var max = parseInt(form.getAttribute("data-max"), 10) || 10;
    var list = form.querySelector("datalist");
    var rows = form.querySelector(".checker__rows");
    if (!url || !list || !rows || !window.fetch) {
      return;
    }
    var timer = null;
    var controller = null;

    function suggest(input) {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var options = { headers: { Accept: "application/json" } };
      if (controller) {
        options.signal = controller.signal;
      }
      fetch(url + "?q=" + encodeURIComponent(query), options)
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          list.textContent = "";
          (data.results || []).forEach(function (item) {
            if (item.kind !== "Drug") {
              return;
            }
            var option = document.createElement("option");
            option.value = item.label;
            if (item.detail) {
              option.label = item.detail;
            }
            list.appendChild(option);
          });
        })
        .catch(function () {
          // A cut-short or failed request leaves the list as it was.
        });
    }

    form.addEventListener("input", function (event) {
      if (event.target.name !== "drug") {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        suggest(event.target);
      }, DELAY_MS);
    });

    var buttons = form.querySelector(".checker__buttons");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button button--secondary";
    add.textContent = "Add another medicine";
    add.addEventListener("click", function () {
      var count = rows.querySelectorAll("input[name='drug']").length;
      if (count >= max) {
        add.disabled = true;
        return;
      }
      var number = count + 1;
      var row = document.createElement("li");
      row.className = "checker__row";
      var label = document.createElement("label");
      label.htmlFor = "drug-" + number;
      label.textContent = "Medicine " + number;
      var input = document.createElement("input");
      input.id = "drug-" + number;
      input.type = "text";
      input.name = "drug";
      input.maxLength = 100;
      input.autocomplete = "off";
      input.setAttribute("list", list.id);
      row.appendChild(label);
      row.appendChild(input);
      rows.appendChild(row);
      input.focus();
      add.disabled = number >= max;
    });
    buttons.appendChild(add);
  }

  function start() {
    document.querySelectorAll(".checker__form").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
