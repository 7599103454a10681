// The playground: a page per method, chosen by the address's hash; each page draws itself into <main>.
import { cartPolePage } from "./pages/cartpole.js";
import { dsnPage } from "./pages/dsn.js";
import { enginePage } from "./pages/engine.js";
import { eventDataPage } from "./pages/event_data.js";
import { neuronLab } from "./pages/neuron_lab.js";
import { noisyPage } from "./pages/noisy.js";
import { spikeTrainLab } from "./pages/spiketrain_lab.js";
import { timeEncodingPage } from "./pages/time_encoding.js";
import { trainPage } from "./pages/train.js";
import { element } from "./ui.js";

/** The pages, by hash; a page that starts a worker or a timer returns what stops them when it is left. */
const PAGES: Record<string, { title: string; draw: (root: HTMLElement) => void | (() => void) }> = {
  neuron: { title: "Neuron lab", draw: neuronLab },
  spiketrain: { title: "Spike-train lab", draw: spikeTrainLab },
  train: { title: "Train in the browser", draw: trainPage },
  tem: { title: "Time encoding", draw: timeEncodingPage },
  dsn: { title: "Deep Spiking Networks", draw: dsnPage },
  noisy: { title: "Noisy networks", draw: noisyPage },
  events: { title: "Event data", draw: eventDataPage },
  cartpole: { title: "Cart-pole", draw: cartPolePage },
  engine: { title: "Engine", draw: enginePage },
};

/** Stops what the page on show started (its worker, its timer). */
let leave: (() => void) | void;

function show(): void {
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : "neuron";
  const nav = document.getElementById("nav")!;
  nav.replaceChildren(
    ...Object.entries(PAGES).map(([key, p]) => element("a", { href: `#${key}`, textContent: p.title, className: key === name ? "current" : "" })),
    element("a", { href: "docs/index.html", textContent: "Documentation", id: "docs-link" }),
  );
  leave?.();
  leave = PAGES[name].draw(document.getElementById("page")!);
  document.title = `snnkit · ${PAGES[name].title}`;
}

document.getElementById("isolation")!.textContent = crossOriginIsolated
  ? `Cross-origin isolated: shared memory is available (${navigator.hardwareConcurrency} logical cores).`
  : "Not cross-origin isolated: the page runs on one thread.";
window.addEventListener("hashchange", show);
show();
