// Select words in the text and they go into the "tag by hand" box (it also works by
// copying the words there without JavaScript).
const text = document.getElementById("tagged-text");
const quote = document.querySelector("#manual-tag textarea[name=quote]");
if (text && quote) {
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    const words = selection.toString().trim();
    if (words) quote.value = words;
  });
}
