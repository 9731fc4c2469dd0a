// The frontend's socket, with the official socket.io-client: connect anonymously (as the login
// page does), sign in over HTTP, and receive this user's events without reconnecting by hand.
// The browser's shared cookie jar is played by setting the Cookie header on the manager's
// options after sign-in: the client uses it the next time it connects by itself.
// Usage: node client.mjs BASE_URL EMAIL PASSWORD AGENT_ID. Prints one JSON object per line.
import { io } from "socket.io-client";

const [base, email, password, agentId] = process.argv.slice(2);
const say = (what) => console.log(JSON.stringify(what));
const socket = io(base, { path: "/api/socket.io", reconnectionDelayMax: 1000 });
let connects = 0;
let cookies = "";
let csrf = "";

function fail(message) {
  say({ ev: "fail", message });
  process.exit(1);
}
setTimeout(() => fail("timed out"), 60_000);

async function signIn() {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: email, password }),
  });
  if (response.status !== 200) fail(`login answered ${response.status}`);
  const jar = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  cookies = jar.join("; ");
  csrf = jar.find((c) => c.startsWith("csrf_access_token=")).split("=")[1];
  socket.io.opts.extraHeaders = { Cookie: cookies };
  say({ ev: "signed_in" });
}

async function startRun() {
  const response = await fetch(`${base}/api/agent/control`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookies, "X-CSRF-Token": csrf },
    body: JSON.stringify({ action: "start", agent_id: Number(agentId) }),
  });
  say({ ev: "started", status: response.status });
}

socket.on("connect", async () => {
  connects += 1;
  say({ ev: "connect", n: connects });
  if (connects === 1) await signIn();
  else if (connects === 2) await startRun();
});
socket.on("disconnect", (reason) => {
  say({ ev: "disconnect", reason });
  if (reason === "io server disconnect") fail("the server sent a final disconnect");
});
socket.on("pipeline_update", (data) => say({ ev: "pipeline_update", run_id: data.run_id }));
socket.on("agent_status", (data) => {
  say({ ev: "agent_status", status: data.status, agent_id: data.agent_id });
  if (["completed", "failed"].includes(data.status)) {
    socket.close();
    process.exit(0);
  }
});
