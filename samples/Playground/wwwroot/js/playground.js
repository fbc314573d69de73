// Canvas drawing for the playground page; C# computes every value, this file only puts pixels on screen.
const scratch = new Map();   // size -> offscreen canvas holding the unscaled image
const points = new Map();    // canvas id -> { x, y, value, trainCount }

function offscreen(size) {
    let canvas = scratch.get(size);
    if (!canvas) {
        canvas = document.createElement("canvas");
        canvas.width = canvas.height = size;
        scratch.set(size, canvas);
    }
    return canvas;
}

export function paint(id, rgba, size) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const small = offscreen(size);
    // The memory view is valid only during this call: slice() copies it out of the .NET heap.
    small.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba.slice().buffer), size, size), 0, 0);
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = true;
    context.drawImage(small, 0, 0, canvas.width, canvas.height);
}

export function setPoints(id, x, y, value, trainCount) {
    points.set(id, { x, y, value, trainCount });
}

function colour(v) {
    const t = Math.min(1, Math.abs(v));
    const [r, g, b] = v < 0 ? [245, 147, 34] : [8, 119, 189];
    return `rgb(${232 + (r - 232) * t | 0},${234 + (g - 234) * t | 0},${235 + (b - 235) * t | 0})`;
}

export function drawPoints(id, showTest) {
    const canvas = document.getElementById(id);
    const set = points.get(id);
    if (!canvas || !set) return;
    const context = canvas.getContext("2d");
    const [w, h] = [canvas.width, canvas.height];
    const count = showTest ? set.x.length : set.trainCount;
    for (let i = 0; i < count; i++) {
        const test = i >= set.trainCount;
        context.beginPath();
        context.arc((set.x[i] + 1) / 2 * w, (1 - set.y[i]) / 2 * h, 3.2, 0, 2 * Math.PI);
        context.fillStyle = colour(set.value[i]);
        context.fill();
        context.lineWidth = 1;
        context.strokeStyle = test ? "#222" : "#fff";
        context.stroke();
    }
}

export function nextFrame() {
    return new Promise(resolve => requestAnimationFrame(() => resolve()));
}

export function replaceQuery(query) {
    history.replaceState(null, "", location.pathname + "?" + query);
}
