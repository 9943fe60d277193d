// Transcript review: select a time to play from there; the playing segment is highlighted.

const player = document.getElementById("player");
const segments = Array.from(document.querySelectorAll(".app-transcript__segment"));

if (player && segments.length) {
  document.querySelectorAll("[data-seek]").forEach((link) => {
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
