// Transcript review and listening: select a time to play from there; the playing segment
// is highlighted. Works for every transcript on the page, each with its own player.

function follow(list, player) {
  const segments = Array.from(list.querySelectorAll(".app-transcript__segment"));
  list.querySelectorAll("[data-seek]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      player.currentTime = Number(link.dataset.seek);
      player.play().catch(() => {});
    });
  });
  let current = null;
  player.addEventListener("timeupdate", () => {
    const now = player.currentTime;
    const playing = segments.find(
      (segment) => now >= Number(segment.dataset.start) && now < Number(segment.dataset.end),
    );
    if (playing === current) return;
    if (current) {
      current.classList.remove("app-transcript__segment--playing");
      current.removeAttribute("aria-current");
    }
    if (playing) {
      playing.classList.add("app-transcript__segment--playing");
      playing.setAttribute("aria-current", "true");
    }
    current = playing || null;
  });
}

document.querySelectorAll(".app-transcript").forEach((list) => {
  const player = document.getElementById(list.dataset.player || "player");
  if (player) follow(list, player);
});
