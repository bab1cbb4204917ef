// Helpful votes without a page reload. Without this script the vote button opens a
// confirmation page that posts the vote and returns to the review, so nothing depends on it.
(function () {
  "use strict";

  function vote(event) {
    var form = event.target.closest("form[data-helpful]");
    if (!form || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    var counter = form.querySelector("[data-helpful-count]");
    button.disabled = true;
    // Pages are cached for everyone, so the CSRF token is fetched for this visitor first.
    fetch(form.action, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("token failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        return fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json", "X-CSRFToken": data.csrf_token },
          credentials: "same-origin",
        });
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("vote failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var notes = {
          counted: " · thank you",
          already_voted: " · you already voted",
          held_back: " · recorded, but not counted: many votes came at once",
        };
        counter.textContent = data.helpful_count + " found this helpful" + (notes[data.status] || "");
        button.setAttribute("aria-pressed", "true");
      })
      .catch(function () {
        // Fall back to the plain form: a confirmation page that carries the token.
        button.disabled = false;
        form.submit();
      });
  }

  document.addEventListener("submit", vote);
})();
