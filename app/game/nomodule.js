// Browsers without JavaScript modules never run app/game/main.js: say so instead of loading
// forever. Loaded with <script nomodule>, so only such browsers run it; plain old JavaScript.
(function () {
  var byId = function (id) {
    return document.getElementById(id);
  };
  byId("loading").hidden = true;
  byId("error-box").hidden = false;
  byId("error-message").textContent =
    "Your browser is too old to run Mirror Pong (it needs JavaScript modules and WebAssembly). Try a current Chrome, Firefox, Safari or Edge.";
  byId("reload-button").onclick = function () {
    location.reload();
  };
})();
