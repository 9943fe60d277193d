// The conversation form, made sturdier with JavaScript:
// - text not yet sent is kept in this browser and offered back after a reload or a closed tab;
// - a turn is sent in the background with its token, and re-sent when the connection returns
//   (the server saves a token once, so a turn is never saved twice);
// - a turn can be recorded in the browser (level meter, timer, stop, cancel, record again).
// Without JavaScript the form posts as a plain form and all of this is done by the server.

const form = document.getElementById("turn-form");

function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

if (form) {
  const key = `narrative-service:${form.dataset.draftKey}`;
  const text = form.querySelector("textarea[name=text]");
  const token = form.querySelector("[data-client-token]");
  const note = form.querySelector("[data-connection-note]");
  const fileInput = form.querySelector("input[type=file][name=recording]");
  let recorded = null; // a Blob recorded in this browser, waiting to be sent
  let retryTimer = null;

  const speaker = () => form.querySelector("input[name=speaker]:checked")?.value || "narrator";
  const setSpeaker = (value) => {
    const radio = form.querySelector(`input[name=speaker][value="${value}"]`);
    if (radio) radio.checked = true;
  };
  const say = (message) => {
    note.textContent = message;
    note.hidden = !message;
  };
  const saveDraft = (pending = false) => {
    if (!text.value.trim()) {
      localStorage.removeItem(key);
      return;
    }
    localStorage.setItem(
      key,
      JSON.stringify({ text: text.value, speaker: speaker(), token: token.value, pending }),
    );
  };

  // Offer back what was typed and not sent.
  const draft = JSON.parse(localStorage.getItem(key) || "null");
  if (draft && !text.value.trim()) {
    text.value = draft.text;
    setSpeaker(draft.speaker);
    token.value = draft.token || token.value;
    if (draft.pending) {
      say("A turn you sent had not reached the service. Sending it now…");
      window.setTimeout(() => send(), 500);
    } else {
      say("Text you had not sent was kept in this browser and put back.");
    }
  }
  text.addEventListener("input", () => saveDraft(false));
  form.addEventListener("change", () => saveDraft(false));

  async function send() {
    window.clearTimeout(retryTimer);
    const body = new FormData(form);
    if (recorded) {
      const extension = recorded.type.includes("ogg") ? "ogg" : "webm";
      body.set("recording", recorded, `spoken-turn.${extension}`);
    }
    saveDraft(true);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      say(
        recorded
          ? "No connection: the recording was not sent. Keep this page open; it will be sent when the connection returns."
          : "No connection: your turn is kept in this browser and will be sent when the connection returns.",
      );
      retryTimer = window.setTimeout(send, 5000);
      return;
    }
    if (response.ok) {
      localStorage.removeItem(key);
      recorded = null;
      window.location.reload();
      return;
    }
    // Not saved (a message to show, a signed-out session, an expired form): let the
    // server show its page. The text is still kept in this browser.
    saveDraft(false);
    HTMLFormElement.prototype.submit.call(form);
  }

  window.addEventListener("online", () => {
    const pending = JSON.parse(localStorage.getItem(key) || "null");
    if ((pending && pending.pending) || recorded) send();
  });

  form.addEventListener("submit", (event) => {
    if (fileInput && fileInput.files.length && !recorded) return; // a plain upload post
    event.preventDefault();
    send();
  });

  document.querySelectorAll("[data-use-prompt]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      setSpeaker("facilitator");
      text.value = button.dataset.usePrompt;
      saveDraft(false);
      text.focus();
    });
  });

  setUpRecorder();

  function setUpRecorder() {
    const box = form.querySelector("[data-recorder]");
    if (!box || !navigator.mediaDevices?.getUserMedia || !window.MediaRecorder) return;
    box.hidden = false;
    const buttons = {
      record: box.querySelector("[data-record]"),
      stop: box.querySelector("[data-stop]"),
      cancel: box.querySelector("[data-cancel]"),
      again: box.querySelector("[data-rerecord]"),
    };
    const timer = box.querySelector("[data-timer]");
    const level = box.querySelector("[data-level]");
    const message = box.querySelector("[data-recorder-message]");
    const preview = box.querySelector("[data-preview]");
    let recorder = null;
    let stream = null;
    let audioContext = null;
    let started = 0;
    let tick = null;
    let cancelled = false;

    const show = (...names) => {
      for (const [name, button] of Object.entries(buttons)) button.hidden = !names.includes(name);
    };

    function stopInputs() {
      window.clearInterval(tick);
      stream?.getTracks().forEach((track) => track.stop());
      audioContext?.close().catch(() => {});
      level.value = 0;
    }

    async function start() {
      cancelled = false;
      recorded = null;
      preview.hidden = true;
      message.textContent = "";
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch {
        message.textContent =
          "The microphone could not be used. Allow it in the browser, or upload a recording instead.";
        return;
      }
      audioContext = new AudioContext();
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 1024;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => {
        if (event.data.size) chunks.push(event.data);
      });
      recorder.addEventListener("stop", () => {
        stopInputs();
        if (cancelled) {
          show("record");
          message.textContent = "Recording cancelled; nothing was kept.";
          return;
        }
        recorded = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
        preview.src = URL.createObjectURL(recorded);
        preview.hidden = false;
        show("again", "cancel");
        message.textContent = `Recorded ${timer.textContent}. Send it, or record again.`;
      });
      recorder.start(1000);
      started = performance.now();
      tick = window.setInterval(() => {
        timer.textContent = clock((performance.now() - started) / 1000);
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      }, 100);
      show("stop", "cancel");
      message.textContent = "Recording…";
    }

    buttons.record.addEventListener("click", start);
    buttons.again.addEventListener("click", start);
    buttons.stop.addEventListener("click", () => recorder?.state === "recording" && recorder.stop());
    buttons.cancel.addEventListener("click", () => {
      cancelled = true;
      if (recorder?.state === "recording") {
        recorder.stop();
      } else {
        recorded = null;
        preview.hidden = true;
        show("record");
        message.textContent = "Recording discarded.";
      }
    });
  }
}
