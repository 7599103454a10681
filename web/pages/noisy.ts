// Noisy networks (Ma, Yan & Tang 2023): a deterministic and a noisy spiking MLP trained in the page's worker,
// then their accuracy under an attack and a strength you pick (the attacks of `snnkit robustness`).
import { linePlot } from "../../src/plot/svg.js";
import { ATTACK_NAMES, type AttackName } from "../../src/tasks/robustness/attacks.js";
import type { TrainReply, TrainRequest } from "../workers/train_worker.js";
import { startPageWorker } from "../page_worker.js";
import { type Control, controlPanel, element } from "../ui.js";

/** Strengths swept for each attack, up to `top`. */
const strengths = (top: number) => Array.from({ length: 6 }, (_, k) => (top * k) / 5);

/** Draws the page into `root`, with its worker. */
export function noisyPage(root: HTMLElement): () => void {
  const s = { trainLimit: 2000, attack: "gaussian" as AttackName, strength: 0.5 };
  const status = element("p", { id: "noisy-status", textContent: "Not trained yet." });
  const plot = element("div", { className: "plots", id: "noisy-plot" });
  const worker = startPageWorker();
  const asset = new URL("digits.bin", document.baseURI).href;
  let trained = false;
  const attack = () => trained && worker.postMessage({ type: "attack", asset, attack: s.attack, strengths: strengths(s.strength) } satisfies TrainRequest);
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const r = event.data;
    if (r.type === "noisy-trained") {
      trained = true;
      status.textContent = `Trained: ${Object.entries(r.accuracies).map(([n, a]) => `${n} ${(100 * a).toFixed(1)} %`).join(", ")} on 200 test digits.`;
      attack();
    } else if (r.type === "attacked") {
      plot.dataset.curves = JSON.stringify(r.curves);
      plot.innerHTML = linePlot(
        Object.entries(r.curves).map(([name, points]) => ({ label: name, x: points.map((p) => p.strength), y: points.map((p) => p.accuracy) })),
        { title: `accuracy under ${r.attack} (200 test digits)`, xLabel: "attack strength", yLabel: "accuracy", height: 320 },
      );
    } else if (r.type === "error") status.textContent = `Error: ${r.message}`;
  };
  const controls: Control[] = [
    { key: "trainLimit", label: "training digits", min: 500, max: 7000, step: 500 },
    { key: "attack", label: "attack", choices: [...ATTACK_NAMES] },
    { key: "strength", label: "largest strength", min: 0.05, max: 2, step: 0.05 },
  ];
  const panel = controlPanel(controls, s as unknown as Record<string, string | number>, () => true, attack);
  const button = element("button", { textContent: "Train both", id: "noisy-train", type: "button" });
  button.addEventListener("click", () => {
    trained = false;
    status.textContent = "Training the deterministic and the noisy network…";
    worker.postMessage({ type: "noisy-train", asset, trainLimit: s.trainLimit } satisfies TrainRequest);
  });
  panel.append(button);
  root.replaceChildren(
    element("h2", { textContent: "Noisy networks" }),
    element("p", { className: "note", textContent: "A noisy LIF network learns with its noise's density as the gradient (Ma, Yan & Tang 2023). Train it beside a deterministic one, then pick an attack and its strength: the accuracy of both, as `snnkit robustness` measures it." }),
    element("div", { className: "panel" }, [panel, element("div", {}, [status, plot])]),
  );
  return () => worker.terminate();
}
