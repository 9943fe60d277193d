// The transcript studio: the whole transcript corrected beside the audio, on one page.
// Progressive enhancement of templates/recordings/show.html: without JavaScript each
// segment's links and buttons go to their own pages, as they always did. (Playing from a
// segment, the playback keys and the speed are transcript.mjs's: readers have them too.)
//
// - "Correct" turns a segment's words into a text box in the same place: Enter saves and
//   opens the next segment, Esc cancels, Ctrl+Enter (or "Split here") splits at the cursor.
// - "Confirm as right" and the correction update the segment in place; a split, a merge or
//   a change of speaker loads the transcript list again from the page (the server decides
//   what each segment now offers), keeping the focus on the segment concerned.
// - Each speaker's name is a button opening a small chooser for that one segment.
// Every change posts to the studio routes (transcription/studio_views.py), which run the
// same rules as the pages, and answers JSON; a refusal is shown beside what was typed.

const WORD = /\S+/g;

const studio = document.getElementById("studio");
const list = studio && document.getElementById(studio.dataset.transcript);
// The open text box: { segment, wrapper, textarea, error, hint, original, busy }.
let editor = null;
let chooser = null; // the open speaker chooser: { segment, form }

if (list && "canEdit" in list.dataset) setUpEditing();

// ------------------------------------------------------------------ talking to the server

function say(message) {
  const status = document.getElementById("studio-status");
  status.textContent = "";
  // Emptied first, so saying the same thing twice is heard twice.
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}

async function post(url, fields) {
  const body = new FormData();
  body.set("csrf_token", studio.dataset.csrf);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": studio.dataset.csrf },
      credentials: "same-origin",
    });
  } catch {
    return refused("There is no connection, so nothing was saved. What you wrote is still here.");
  }
  const isJson = (response.headers.get("content-type") || "").includes("application/json");
  const data = isJson ? await response.json().catch(() => null) : null;
  if (response.ok && data && !response.redirected) return { ok: true, data };
  if (data && data.message) return refused(data.message, data.errors);
  return refused(
    "This was not saved: you may have been signed out. What you wrote is still here: " +
      "copy it, reload the page and try again.",
  );
}

function refused(message, errors = {}) {
  return { ok: false, message, errors: errors || {} };
}

// The transcript list again, as the page now shows it; the focus goes to `focus(list)`.
async function reloadList(focus) {
  let fresh = null;
  try {
    const response = await fetch(window.location.pathname, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      fresh = page.getElementById(list.id);
    }
  } catch {
    fresh = null;
  }
  if (!fresh) {
    window.location.reload();
    return;
  }
  editor = null;
  chooser = null;
  // A copy of the list first: adopting a child takes it out of `fresh.children`.
  const children = Array.from(fresh.children);
  list.replaceChildren(...children.map((child) => document.adoptNode(child)));
  enhance();
  const target = focus && focus();
  if (target) target.focus();
}

// ------------------------------------------------------------------ editing in place

function setUpEditing() {
  enhance();
  list.addEventListener("click", (event) => {
    const action = event.target.closest("a[data-action]");
    if (action && list.contains(action)) {
      event.preventDefault();
      openEditor(segmentOf(action), { splitting: action.dataset.action === "split" });
      return;
    }
    const speakerButton = event.target.closest("[data-speaker-button]");
    if (speakerButton) toggleChooser(segmentOf(speakerButton));
  });
  list.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-action]");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.action === "confirm") confirmSegment(segmentOf(form), form.dataset.url);
    if (form.dataset.action === "merge") mergeSegment(segmentOf(form), form.dataset.url);
  });
  // Accepting with a correction still open: save it first, so it is not lost.
  const accept = document.getElementById("accept-transcript");
  if (accept) {
    accept.addEventListener("submit", async (event) => {
      if (!editor || !isChanged(editor)) return;
      event.preventDefault();
      if (await saveEditor()) accept.submit();
    });
  }
}

function segmentOf(element) {
  return element.closest(".app-transcript__segment");
}

function segmentById(id) {
  return document.getElementById(`s${id}`);
}

// The segment's words exactly as the server keeps them (the page shows them split among the
// shaded words, with words for screen readers between).
function textOf(segment) {
  return segment.querySelector(".app-transcript__text").dataset.text;
}

function normalised(text) {
  return (text.match(WORD) || []).join(" ");
}

function isChanged(open) {
  return normalised(open.textarea.value) !== normalised(open.original);
}

// Each speaker's name becomes a button that opens the chooser for that segment.
function enhance() {
  if (!("canEdit" in list.dataset)) return;
  list.querySelectorAll(".app-transcript__segment[data-speaker-url]").forEach((segment) => {
    const label = segment.querySelector(".app-transcript__speaker");
    if (!label || label.querySelector("button")) return;
    const name = label.textContent.replace(/:\s*$/, "");
    const button = element("button", "app-link-button app-transcript__speaker-button");
    button.type = "button";
    button.dataset.speakerButton = "";
    button.setAttribute("aria-expanded", "false");
    button.append(name, hidden(`: change who is speaking at ${segment.dataset.at}`));
    label.replaceChildren(button, ":");
  });
}

function hidden(text) {
  return element("span", "nhsuk-u-visually-hidden", text);
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

async function openEditor(segment, { splitting = false } = {}) {
  if (editor && editor.segment === segment) {
    editor.textarea.focus();
    return;
  }
  if (editor && !(await closeEditor({ save: true }))) return;
  closeChooser();
  const id = segment.id;
  const words = segment.querySelector(".app-transcript__text");
  const original = textOf(segment);
  const wrapper = element("div", "nhsuk-form-group app-studio__editor");
  wrapper.dataset.editor = "";
  const label = element(
    "label",
    "nhsuk-label nhsuk-u-visually-hidden",
    `What was said at ${segment.dataset.at}`,
  );
  label.htmlFor = `edit-${id}`;
  const hint = element(
    "div",
    "nhsuk-hint app-studio__hint",
    splitting
      ? "Put the cursor where the second part starts, then choose Split here (or press Ctrl+Enter)."
      : "Enter saves and opens the next segment. Esc cancels. Ctrl+Enter splits at the cursor.",
  );
  hint.id = `edit-${id}-hint`;
  const error = errorMessage(`edit-${id}-error`);
  const textarea = element("textarea", "nhsuk-textarea app-studio__textarea");
  Object.assign(textarea, {
    id: label.htmlFor,
    name: "text",
    rows: Math.min(8, Math.max(2, Math.ceil(original.length / 60))),
    value: original,
  });
  textarea.setAttribute("aria-describedby", hint.id);
  const actions = element("div", "app-studio__editor-actions");
  const save = element("button", "nhsuk-button nhsuk-button--small", "Save");
  const split = element(
    "button",
    "nhsuk-button nhsuk-button--secondary nhsuk-button--small",
    "Split here",
  );
  const cancel = element("button", "app-link-button", "Cancel");
  for (const button of [save, split, cancel]) button.type = "button";
  save.append(hidden(` the segment at ${segment.dataset.at}`));
  cancel.append(hidden(" the correction"));
  actions.append(save, split, cancel);
  wrapper.append(label, hint, error, textarea, actions);

  words.hidden = true;
  words.after(wrapper);
  segment.querySelector(".app-transcript__actions").hidden = true;
  editor = { segment, wrapper, textarea, error, hint, original, busy: false };

  textarea.addEventListener("keydown", (event) => onEditorKey(event));
  // Pressing a button keeps the caret where it was: the split takes its place from there.
  split.addEventListener("mousedown", (event) => event.preventDefault());
  save.addEventListener("click", () => saveAndGoOn({ goOn: false }));
  split.addEventListener("click", () => splitHere());
  cancel.addEventListener("click", () => closeEditor({ save: false }));
  textarea.focus();
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  if (splitting) say("Put the cursor where the second part starts, then choose Split here.");
}

function onEditorKey(event) {
  if (event.isComposing) return;
  if (event.key === "Escape") {
    event.preventDefault();
    closeEditor({ save: false });
  } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    splitHere();
  } else if (event.key === "Enter" && !event.altKey) {
    // A segment is one paragraph: Enter saves it (Shift+Enter too) rather than adding a line.
    event.preventDefault();
    saveAndGoOn();
  }
}

function showError(open, message) {
  open.error.replaceChildren(hidden("Error:"), ` ${message}`);
  open.error.hidden = false;
  open.wrapper.classList.add("nhsuk-form-group--error");
  open.textarea.classList.add("nhsuk-textarea--error");
  open.textarea.setAttribute("aria-describedby", `${open.hint.id} ${open.error.id}`);
  open.textarea.focus();
  say(`Not saved: ${message}`);
}

function firstMessage(answer) {
  const messages = Object.values(answer.errors || {}).filter(Boolean);
  return messages.length ? messages.join(" ") : answer.message;
}

// Save what was typed (if anything changed); true when nothing is left unsaved.
async function saveEditor() {
  const open = editor;
  if (!open || open.busy) return false;
  if (!isChanged(open)) return true;
  open.busy = true;
  open.textarea.readOnly = true;
  const answer = await post(open.segment.dataset.textUrl, { text: open.textarea.value });
  open.busy = false;
  open.textarea.readOnly = false;
  if (!answer.ok) {
    showError(open, firstMessage(answer));
    return false;
  }
  open.original = answer.data.segment.text;
  show(open.segment, answer.data.segment);
  return true;
}

async function closeEditor({ save }) {
  const open = editor;
  if (!open) return true;
  if (save && !(await saveEditor())) return false;
  open.wrapper.remove();
  open.segment.querySelector(".app-transcript__text").hidden = false;
  open.segment.querySelector(".app-transcript__actions").hidden = false;
  editor = null;
  if (!save) {
    open.segment.querySelector("[data-action=correct]").focus();
    say("Correction cancelled: the words are as they were.");
  }
  return true;
}

// Save the open correction, then open the next segment (Enter) or stay (the Save button).
async function saveAndGoOn({ goOn = true } = {}) {
  const open = editor;
  if (!open) return;
  const done = isChanged(open) ? "Correction saved." : "No change.";
  if (!(await closeEditor({ save: true }))) return;
  const next = goOn && open.segment.nextElementSibling;
  if (next && next.querySelector("[data-action=correct]")) {
    openEditor(next);
    say(done);
  } else {
    open.segment.querySelector("[data-action=correct]").focus();
    say(goOn ? `${done} That was the last segment.` : done);
  }
}

// The segment as the server now has it: its words (a person checked them, so nothing is
// shaded or marked unsure any more), what the machine heard, what it still offers.
function show(segment, state) {
  const words = segment.querySelector(".app-transcript__text");
  words.textContent = state.text;
  words.dataset.text = state.text;
  if (state.is_reviewed) {
    segment.classList.remove("app-transcript__segment--unsure");
    segment
      .querySelectorAll(".nhsuk-tag, .app-transcript__unsure-words, form[data-action=confirm]")
      .forEach((gone) => gone.remove());
  }
  segment.querySelectorAll(".app-transcript__machine").forEach((gone) => gone.remove());
  let note = null;
  if (state.is_corrected) note = `Corrected. The machine heard: “${state.machine_text}”`;
  else if (state.is_reviewed) note = "Confirmed as the machine heard it.";
  if (note) {
    segment
      .querySelector(".app-transcript__actions")
      .before(element("span", "nhsuk-body-s app-transcript__machine", note));
  }
  const split = segment.querySelector("[data-action=split]");
  if (split) split.hidden = normalised(state.text).split(" ").length < 2;
}

// Before another change to the transcript: the open correction saved, the chooser closed.
async function settle() {
  closeChooser();
  return !editor || closeEditor({ save: true });
}

async function confirmSegment(segment, url) {
  if (!(await settle())) return;
  const answer = await post(url, {});
  if (!answer.ok) {
    say(`Not confirmed: ${firstMessage(answer)}`);
    return;
  }
  show(segment, answer.data.segment);
  segment.querySelector("[data-action=correct]").focus();
  say(answer.data.changed ? "Segment confirmed." : "This segment was already checked.");
}

async function mergeSegment(segment, url) {
  if (!(await settle())) return;
  const answer = await post(url, {});
  if (!answer.ok) {
    say(`Not merged: ${firstMessage(answer)}`);
    return;
  }
  await reloadList(() => segmentById(answer.data.segment.id));
  say("The segment and the one after it are now one segment.");
}

// Where the caret is, as the split rule counts: the split rule takes a character position in
// the segment's words (the second part starts there), counted in characters as Python
// counts them (code points, where JavaScript counts UTF-16 units). The caret is counted in
// words, so what was typed may be spaced differently from what the server keeps.
function wordsBefore(value, caret) {
  const inWord =
    caret > 0 && caret < value.length && /\S/.test(value[caret - 1]) && /\S/.test(value[caret]);
  return { count: (value.slice(0, caret).match(WORD) || []).length, inWord };
}

function startOfWord(text, index) {
  let seen = 0;
  for (const match of text.matchAll(WORD)) {
    if (seen === index) return Array.from(text.slice(0, match.index)).length;
    seen += 1;
  }
  return Array.from(text).length;
}

async function splitHere() {
  const open = editor;
  if (!open || open.busy) return;
  const caret = open.textarea.selectionStart;
  const place = wordsBefore(open.textarea.value, caret);
  if (place.inWord) {
    showError(open, "Put the cursor between two words, then split.");
    return;
  }
  if (!(await saveEditor())) return;
  open.busy = true;
  const answer = await post(open.segment.dataset.splitUrl, {
    at: String(startOfWord(open.original, place.count)),
  });
  open.busy = false;
  if (!answer.ok) {
    showError(open, firstMessage(answer));
    return;
  }
  editor = null;
  await reloadList(() => segmentById(answer.data.new.id));
  say("Segment split in two.");
}

// ------------------------------------------------------------------ who is speaking

function namesInTranscript() {
  const names = [];
  list.querySelectorAll(".app-transcript__segment[data-speaker=other]").forEach((segment) => {
    const name = segment.dataset.speakerName;
    if (name && !names.includes(name)) names.push(name);
  });
  return names;
}

function closeChooser({ focus = false } = {}) {
  if (!chooser) return;
  const { segment, form } = chooser;
  form.remove();
  const button = segment.querySelector("[data-speaker-button]");
  if (button) {
    button.setAttribute("aria-expanded", "false");
    button.removeAttribute("aria-controls");
    if (focus) button.focus();
  }
  chooser = null;
}

function radio(groupName, id, value, text, checked) {
  const item = element("div", "nhsuk-radios__item");
  const input = element("input", "nhsuk-radios__input");
  Object.assign(input, { type: "radio", name: groupName, id, value, checked });
  const label = element("label", "nhsuk-label nhsuk-radios__label", text);
  label.htmlFor = id;
  item.append(input, label);
  return item;
}

async function toggleChooser(segment) {
  if (chooser && chooser.segment === segment) {
    closeChooser({ focus: true });
    return;
  }
  if (editor && !(await closeEditor({ save: true }))) return;
  closeChooser();
  const parts = chooserFor(segment);
  segment.querySelector(".app-transcript__actions").before(parts.form);
  const button = segment.querySelector("[data-speaker-button]");
  button.setAttribute("aria-expanded", "true");
  button.setAttribute("aria-controls", parts.form.id);
  chooser = { segment, form: parts.form };

  parts.radios.addEventListener("change", () => {
    parts.name.group.hidden = chosenSpeaker(parts) !== "new";
    if (!parts.name.group.hidden) parts.name.input.focus();
  });
  parts.cancel.addEventListener("click", () => closeChooser({ focus: true }));
  parts.form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    closeChooser({ focus: true });
  });
  parts.form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveSpeaker(segment, parts);
  });
  checkedOrFirst(parts.form).focus();
}

// The chooser's form: a radio for the narrator, the facilitator, each name already in the
// transcript and a new name, which then asks for it.
function chooserFor(segment) {
  const { speaker, speakerName } = segment.dataset;
  const form = element("form", "app-studio__speakers");
  form.dataset.editor = "";
  form.id = `speaker-choice-${segment.id}`;
  form.noValidate = true;
  const groupName = `speaker-${segment.id}`;

  const choice = { group: element("div", "nhsuk-form-group") };
  choice.field = element("fieldset", "nhsuk-fieldset");
  const legend = element(
    "legend",
    "nhsuk-fieldset__legend nhsuk-fieldset__legend--s",
    `Who is speaking at ${segment.dataset.at}?`,
  );
  choice.error = errorMessage(`${form.id}-speaker-error`);
  const radios = element("div", "nhsuk-radios nhsuk-radios--small");
  const options = [
    ["narrator", "Narrator", speaker === "narrator"],
    ["facilitator", "Facilitator", speaker === "facilitator"],
    ...namesInTranscript().map((name) => [
      `name:${name}`,
      name,
      speaker === "other" && speakerName === name,
    ]),
    ["new", "Someone else, by a new name", false],
  ];
  options.forEach(([value, text, checked], index) => {
    radios.append(radio(groupName, `${form.id}-${index}`, value, text, checked));
  });
  choice.field.append(legend, choice.error, radios);
  choice.group.append(choice.field);

  const name = { group: element("div", "nhsuk-form-group") };
  const label = element("label", "nhsuk-label", "Their name or role");
  label.htmlFor = `${form.id}-name`;
  const hint = element("div", "nhsuk-hint", "Such as Interpreter, Daughter or Social worker.");
  hint.id = `${form.id}-name-hint`;
  name.hint = hint.id;
  name.error = errorMessage(`${form.id}-name-error`);
  name.input = element("input", "nhsuk-input nhsuk-u-width-two-thirds");
  Object.assign(name.input, { type: "text", id: label.htmlFor, autocomplete: "off" });
  name.input.setAttribute("aria-describedby", hint.id);
  name.field = name.input;
  name.group.append(label, hint, name.error, name.input);
  name.group.hidden = true;

  const actions = element("div", "app-studio__editor-actions");
  const save = element("button", "nhsuk-button nhsuk-button--small", "Save the speaker");
  save.type = "submit";
  const cancel = element("button", "app-link-button", "Cancel");
  cancel.type = "button";
  actions.append(save, cancel);
  form.append(choice.group, name.group, actions);
  return { form, groupName, radios, choice, name, cancel };
}

function errorMessage(id) {
  const message = element("span", "nhsuk-error-message");
  message.id = id;
  message.hidden = true;
  return message;
}

function chosenSpeaker(parts) {
  return parts.form.elements[parts.groupName].value;
}

async function saveSpeaker(segment, parts) {
  const choice = chosenSpeaker(parts);
  const fields = { speaker: choice, speaker_name: "" };
  if (choice.startsWith("name:")) {
    Object.assign(fields, { speaker: "other", speaker_name: choice.slice("name:".length) });
  } else if (choice === "new") {
    Object.assign(fields, { speaker: "other", speaker_name: parts.name.input.value });
  }
  const answer = await post(segment.dataset.speakerUrl, fields);
  if (!answer.ok) {
    // A wrong name is shown beside the name; anything else beside the choice.
    const nameMessage = choice === "new" ? (answer.errors || {}).speaker_name : null;
    showChooserError(parts, nameMessage ? "name" : "choice", nameMessage || firstMessage(answer));
    return;
  }
  chooser = null;
  const state = answer.data.segment;
  await reloadList(() => segmentById(state.id).querySelector("[data-speaker-button]"));
  say(
    answer.data.changed
      ? `Speaker saved: ${state.speaker_label}.`
      : `Nothing was changed: it was already ${state.speaker_label}.`,
  );
}

function checkedOrFirst(form) {
  return form.querySelector("input[type=radio]:checked") || form.querySelector("input[type=radio]");
}

function showChooserError(parts, which, message) {
  for (const place of [parts.choice, parts.name]) {
    place.error.hidden = true;
    place.group.classList.remove("nhsuk-form-group--error");
  }
  parts.name.input.classList.toggle("nhsuk-input--error", which === "name");
  const place = parts[which];
  place.error.replaceChildren(hidden("Error:"), ` ${message}`);
  place.error.hidden = false;
  place.group.classList.add("nhsuk-form-group--error");
  const describedBy = [place.hint, place.error.id].filter(Boolean).join(" ");
  place.field.setAttribute("aria-describedby", describedBy);
  (which === "name" ? parts.name.input : checkedOrFirst(parts.form)).focus();
  say(`Not saved: ${message}`);
}
