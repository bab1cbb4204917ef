// Helpful votes without a page reload. Without this script the vote form posts
// and the server redirects back to the review, so nothing depends on it.
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
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("vote failed: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        counter.textContent =
          data.helpful_count + " found this helpful" + (data.counted ? " · thank you" : " · you already voted");
        button.setAttribute("aria-pressed", "true");
      })
      .catch(function () {
        // Fall back to the plain form post.
        button.disabled = false;
        form.submit();
      });
  }

  document.addEventListener("submit", vote);
})();
