// Transcript review and listening: select a time to play from there; the playing segment
// is highlighted. Works for every transcript on the page, each with its own player.
// Playback controls beside a player (.app-studio[data-player], on the recording page) add a
// speed and keys: Ctrl+Space plays or pauses and Ctrl+, goes back 5 seconds, anywhere; when
// the focus is not in a text field, k or Space plays or pauses and j goes back 5 seconds.
// A list may also ask (the recording page does) to play from a segment when its words are
// clicked (data-play-on-text), and to keep the playing segment in view (data-scroll-to-playing)
// while the person is not editing. The segments may be replaced (studio.mjs reloads them
// after a split or a merge): everything here works on the list as it is at the time.

const BACK_SECONDS = 5;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

// A correction or a speaker chooser open in the list (studio.mjs marks them), or typing.
function isEditing(list) {
  return Boolean(list.querySelector("[data-editor]")) || isTextField(document.activeElement);
}

function playFrom(player, seconds) {
  player.currentTime = seconds;
  player.play().catch(() => {});
}

function follow(list, player) {
  let current = null;

  list.addEventListener("click", (event) => {
    const link = event.target.closest("[data-seek]");
    if (link && list.contains(link)) {
      event.preventDefault();
      playFrom(player, Number(link.dataset.seek));
      return;
    }
    if (!("playOnText" in list.dataset)) return;
    const words = event.target.closest(".app-transcript__text");
    const selection = document.getSelection();
    if (!words || !list.contains(words) || (selection && !selection.isCollapsed)) return;
    playFrom(player, Number(words.closest(".app-transcript__segment").dataset.start));
  });

  player.addEventListener("timeupdate", () => {
    const now = player.currentTime;
    const playing = Array.from(list.querySelectorAll(".app-transcript__segment")).find(
      (segment) => now >= Number(segment.dataset.start) && now < Number(segment.dataset.end),
    );
    if (playing === current && (!current || current.isConnected)) return;
    if (current) {
      current.classList.remove("app-transcript__segment--playing");
      current.removeAttribute("aria-current");
    }
    if (playing) {
      playing.classList.add("app-transcript__segment--playing");
      playing.setAttribute("aria-current", "true");
      if ("scrollToPlaying" in list.dataset && !isEditing(list)) {
        playing.scrollIntoView({
          block: "nearest",
          behavior: reducedMotion.matches ? "auto" : "smooth",
        });
      }
    }
    current = playing || null;
  });
}

function playbackControls(bar, player) {
  bar.hidden = false;
  const speed = bar.querySelector("[data-playback-speed]");
  speed.addEventListener("change", () => {
    player.playbackRate = Number(speed.value);
    player.defaultPlaybackRate = Number(speed.value);
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.metaKey || event.isComposing) return;
    if (event.ctrlKey) {
      if (event.code === "Space" || event.key === " ") {
        event.preventDefault();
        if (!event.repeat) playOrPause(player);
      } else if (event.key === ",") {
        event.preventDefault();
        goBack(player);
      }
      return;
    }
    if (event.shiftKey || isTextField(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === "k" || (key === " " && !isControl(event.target))) {
      event.preventDefault();
      if (!event.repeat) playOrPause(player);
    } else if (key === "j") {
      event.preventDefault();
      goBack(player);
    }
  });
}

function playOrPause(player) {
  if (player.paused) player.play().catch(() => {});
  else player.pause();
}

function goBack(player) {
  player.currentTime = Math.max(0, player.currentTime - BACK_SECONDS);
}

function isTextField(element) {
  if (!(element instanceof Element)) return false;
  if (element.isContentEditable || element.matches("textarea, select")) return true;
  if (!element.matches("input")) return false;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(
    element.type,
  );
}

// Space belongs to what has the focus when it is a control (it presses a button, ticks a
// box, plays the player itself): only elsewhere does it play or pause.
function isControl(element) {
  return (
    element instanceof Element &&
    Boolean(
      element.closest(
        "a[href], button, input, select, textarea, audio, video, summary, [role=button], " +
          "[tabindex]:not([tabindex='-1'])",
      ),
    )
  );
}

document.querySelectorAll(".app-transcript").forEach((list) => {
  const player = document.getElementById(list.dataset.player || "player");
  if (player) follow(list, player);
});

document.querySelectorAll(".app-studio[data-player]").forEach((bar) => {
  const player = document.getElementById(bar.dataset.player);
  if (player) playbackControls(bar, player);
});
