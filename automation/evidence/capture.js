// Prepares a frame for a screenshot as Playwright's page.screenshot() does with `style`,
// `animations: "disabled"` and the caret hidden (its inPagePrepareForScreenshots): the style in
// the document and in every open shadow root, finite animations finished and endless ones
// paused, carets transparent. Returns true; window.__scLicenseUndoCapture() undoes it.
(style) => {
  const collect = (root, roots = []) => {
    roots.push(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    do {
      const node = walker.currentNode;
      const shadow = node instanceof Element ? node.shadowRoot : null;
      if (shadow) collect(shadow, roots);
    } while (walker.nextNode());
    return roots;
  };
  const roots = collect(document);
  const undo = [];
  for (const root of roots) {
    const tag = document.createElement("style");
    tag.textContent = style;
    (root === document ? document.documentElement : root).append(tag);
    undo.push(() => tag.remove());
  }
  const carets = new Map();
  for (const root of roots) {
    root.querySelectorAll("input,textarea,[contenteditable]").forEach((element) => {
      carets.set(element, {
        value: element.style.getPropertyValue("caret-color"),
        priority: element.style.getPropertyPriority("caret-color"),
      });
      element.style.setProperty("caret-color", "transparent", "important");
    });
  }
  undo.push(() => {
    for (const [element, was] of carets) {
      element.style.setProperty("caret-color", was.value, was.priority);
    }
  });
  const endless = new Set();
  const still = (root) => {
    for (const animation of root.getAnimations()) {
      if (!animation.effect || animation.playbackRate === 0 || endless.has(animation)) continue;
      const end = animation.effect.getComputedTiming().endTime;
      try {
        if (Number.isFinite(end)) {
          animation.finish();
        } else {
          animation.cancel();
          endless.add(animation);
        }
      } catch (e) {}
    }
  };
  for (const root of roots) {
    const handler = still.bind(null, root);
    handler();
    root.addEventListener("transitionrun", handler);
    root.addEventListener("animationstart", handler);
    undo.push(() => {
      root.removeEventListener("transitionrun", handler);
      root.removeEventListener("animationstart", handler);
    });
  }
  undo.push(() => {
    for (const animation of endless) {
      try {
        animation.play();
      } catch (e) {}
    }
  });
  window.__scLicenseUndoCapture = () => {
    for (const step of undo) step();
    delete window.__scLicenseUndoCapture;
  };
  return true;
}
