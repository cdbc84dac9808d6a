// Small progressive enhancement: hovering a statement row or mark lights up its partners.
// The pages work fully without it.
(function () {
  "use strict";
  function partners() {
    return document.querySelectorAll('[data-stmt]');
  }
  function setActive(keys, on) {
    var all = partners();
    for (var i = 0; i < all.length; i++) {
      var own = (all[i].getAttribute("data-stmt") || "").split(" ");
      for (var j = 0; j < keys.length; j++) {
        if (own.indexOf(keys[j]) !== -1) { all[i].classList.toggle("active", on); break; }
      }
    }
  }
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-stmt]");
    if (el) setActive((el.getAttribute("data-stmt") || "").split(" "), true);
  });
  document.addEventListener("mouseout", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-stmt]");
    if (el) setActive((el.getAttribute("data-stmt") || "").split(" "), false);
  });
})();
// Clicking a highlighted statement brings its row in the table into view.
document.addEventListener("click", function (ev) {
  var mark = ev.target.closest && ev.target.closest("#article-text mark");
  if (!mark) return;
  var key = (mark.getAttribute("data-stmt") || "").split(" ")[0];
  var row = document.getElementById("row-" + key);
  if (row) row.scrollIntoView({ block: "nearest", behavior: "smooth" });
});
