// Transcription progress bars: poll the recording's progress and update without a reload.
// When the work is finished (or has failed), reload once to show the result.

const POLL_MS = 2000;

function clock(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

// The same words as templates/recordings/_progress_detail.html.
function waiting(state) {
  if (state.ahead) {
    const ahead = `${state.ahead} recording${state.ahead === 1 ? " is" : "s are"}`;
    const now = state.transcribing ? `, and ${state.transcribing} being transcribed` : "";
    return `Waiting: ${ahead} ahead of this one${now}.`;
  }
  if (state.transcribing) {
    return "Next in the queue: it starts when the recording being transcribed now is done.";
  }
  return "Waiting for the transcriber to start.";
}

function describe(state) {
  if (state.status === "queued") return waiting(state);
  let text = `${state.percent}% of the recording transcribed`;
  if (state.seconds_remaining !== null) text += `, about ${clock(state.seconds_remaining)} left`;
  return `${text}.`;
}

function watch(element) {
  const bar = element.querySelector("progress");
  const detail = element.querySelector("[data-progress-detail]");
  const label = element.querySelector("[data-progress-label]");
  let stopped = false;

  async function poll() {
    if (stopped) return;
    try {
      const response = await fetch(element.dataset.progressUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      if (bar) bar.value = state.percent;
      if (bar) bar.textContent = `${state.percent}%`;
      if (label) label.textContent = state.status_label;
      if (detail) detail.textContent = describe(state);
      if (state.finished) {
        stopped = true;
        if (element.hasAttribute("data-reload-when-done")) window.location.reload();
        return;
      }
    } catch {
      if (detail) detail.textContent = "Waiting for the connection to come back…";
    }
    window.setTimeout(poll, POLL_MS);
  }
  window.setTimeout(poll, POLL_MS / 2);
}

document.querySelectorAll("[data-progress-url]").forEach(watch);
