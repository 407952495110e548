/* Small improvements on every page, each optional: the page works without this file.
 * - The header's search link becomes a button that opens the search form in place (phones).
 * - "Về đầu trang" comes to hand when the reader scrolls back up a long page; a short page has none.
 * - An article's "Sao chép liên kết" and "In bài" buttons, hidden until this file runs.
 * No request leaves the site; every text shown comes from the page (data-* attributes).
 */
(function () {
  "use strict";

  var root = document.documentElement;

  /* ---------- Search: one tap opens the form ---------- */

  var opener = document.querySelector("a[data-opens]");
  var form = opener && document.getElementById(opener.getAttribute("data-opens"));
  if (form) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = opener.className;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", form.id);
    while (opener.firstChild) {
      button.appendChild(opener.firstChild);
    }
    opener.parentNode.replaceChild(button, opener);
    var header = form.closest("header") || root;
    var setOpen = function (open) {
      header.classList.toggle("search-shown", open);
      button.setAttribute("aria-expanded", String(open));
    };
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) {
        form.querySelector("input").focus();
      }
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* ---------- Back to the top of a long page ---------- */

  var toTop = document.querySelector("[data-to-top]");
  if (toTop) {
    var LONG = 2;  // screens: a page shorter than this needs no way back up
    var lastY = window.scrollY;
    var place = function () {
      var tall = root.scrollHeight > window.innerHeight * LONG;
      var y = window.scrollY;
      toTop.hidden = !tall;
      // Once the first screen is scrolled past, it rides at the bottom of the window while the reader scrolls
      // back up (looking for the way out), and steps aside while they read on down.
      if (y !== lastY) {
        root.classList.toggle("show-to-top", tall && y > window.innerHeight && y < lastY);
      }
      lastY = y;
    };
    place();
    window.addEventListener("scroll", place, { passive: true });
    window.addEventListener("resize", place);
  }

  /* ---------- Article tools: copy the address, print ---------- */

  var status = document.querySelector("[data-tools-status]");
  var say = function (text) {
    if (status) {
      status.textContent = text;
    }
  };
  Array.prototype.forEach.call(document.querySelectorAll("[data-needs-script]"), function (item) {
    item.hidden = false;
  });

  var copy = document.querySelector("[data-copy-link]");
  if (copy) {
    var canonical = document.querySelector("link[rel=canonical]");
    var address = canonical ? canonical.href : location.href.split("#")[0];
    var copied = function () {
      say(copy.getAttribute("data-done"));
    };
    var fallback = function () {
      // Clipboard API missing (an address without https): copy through a selected, off-screen text field.
      var field = document.createElement("textarea");
      field.value = address;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (error) {
        done = false;
      }
      document.body.removeChild(field);
      copy.focus();
      if (done) {
        copied();
      } else {
        say(copy.getAttribute("data-failed").replace("{url}", address));
      }
    };
    copy.addEventListener("click", function () {
      say("");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(address).then(copied, fallback);
      } else {
        fallback();
      }
    });
  }

  var print = document.querySelector("[data-print]");
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
