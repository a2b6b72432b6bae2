// Content tabs (MkDocs Material's `=== "Tab"`). Their HTML works without this script: radio
// inputs, labels and blocks, tabs.css showing the checked tab's block. Here each set becomes the
// WAI-ARIA tabs pattern: a tablist of buttons with roving focus (Left/Right, Home/End move
// between tabs and select them; Tab moves into the panel). Printing shows every tab (tabs.css).

export function initTabs(scope) {
  var sets = scope.querySelectorAll(".tabbed-set:not(.tabbed-aria)");
  for (var i = 0; i < sets.length; i++) ariaTabs(sets[i]);
}

function ariaTabs(set) {
  var inputs = [], labels = [], blocks = [];
  for (var c = 0; c < set.children.length; c++) {
    var el = set.children[c];
    if (el.classList.contains("tabbed-input")) inputs.push(el);
    else if (el.classList.contains("tabbed-label")) labels.push(el);
    else if (el.classList.contains("tabbed-block")) blocks.push(el);
  }
  if (!blocks.length || blocks.length !== labels.length) return;
  var id = set.getAttribute("data-tabs") || "tabs";
  var list = document.createElement("div");
  list.className = "tabbed-labels";
  list.setAttribute("role", "tablist");
  var tabs = labels.map(function (label, i) {
    var tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tabbed-tab";
    tab.id = id + "-tab-" + (i + 1);
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", id + "-panel-" + (i + 1));
    tab.innerHTML = label.innerHTML;
    list.appendChild(tab);
    var panel = blocks[i];
    panel.id = id + "-panel-" + (i + 1);
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.tabIndex = 0;
    return tab;
  });
  var selected = 0;
  inputs.forEach(function (input, i) { if (input.checked) selected = i; });
  inputs.concat(labels).forEach(function (el) { el.remove(); });
  set.insertBefore(list, set.firstChild);
  set.classList.add("tabbed-aria");

  function select(k, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === k;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      blocks[i].hidden = !on;
    });
    if (focus) tabs[k].focus();
  }
  select(selected, false);
  list.addEventListener("click", function (e) {
    var k = tabs.indexOf(e.target.closest ? e.target.closest(".tabbed-tab") : null);
    if (k >= 0) select(k, false);
  });
  list.addEventListener("keydown", function (e) {
    var k = tabs.indexOf(document.activeElement);
    if (k < 0) return;
    var n = tabs.length, next = -1;
    if (e.key === "ArrowRight") next = (k + 1) % n;
    else if (e.key === "ArrowLeft") next = (k - 1 + n) % n;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = n - 1;
    if (next < 0) return;
    e.preventDefault();
    select(next, true);
  });
}
