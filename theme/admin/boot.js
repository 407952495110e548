// Loaded before Decap: the editor's own script (admin.js) registers the format, widgets and locale, then starts it.
window.CMS_MANUAL_INIT = true;
