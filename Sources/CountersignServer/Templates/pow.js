// Countersign's proof of work, for the ALTCHA v1 protocol: fetch a challenge from GET /api/challenge, find in a Web
// Worker (this same file) the number whose SHA-256 with the salt is the challenge, and put the solution in the form's
// altcha field. It is served by this site only (CSP script-src 'self') and loads nothing from elsewhere. Without
// JavaScript the form still posts; the server then says what to do if a proof of work is demanded.
'use strict';

if (typeof document === 'undefined') {
  // The worker: tries 0, 1, 2... up to maxnumber, as the protocol says, a batch of digests at a time (one await per
  // digest costs more than the digest).
  self.onmessage = async (event) => {
    const { challenge, salt, maxnumber } = event.data;
    const encoder = new TextEncoder();
    const target = new Uint8Array(challenge.match(/../g).map((pair) => parseInt(pair, 16)));
    const matches = (digest) => {
      const bytes = new Uint8Array(digest);
      for (let index = 0; index < bytes.length; index += 1) if (bytes[index] !== target[index]) return false;
      return true;
    };
    const batch = 1000;
    for (let start = 0; start <= maxnumber; start += batch) {
      const numbers = [];
      for (let number = start; number <= Math.min(maxnumber, start + batch - 1); number += 1) numbers.push(number);
      const digests = await Promise.all(numbers.map((number) => crypto.subtle.digest('SHA-256', encoder.encode(salt + number))));
      const found = digests.findIndex(matches);
      if (found >= 0) {
        self.postMessage({ number: numbers[found] });
        return;
      }
    }
    self.postMessage({ number: null });
  };
} else {
  const scriptURL = (document.currentScript && document.currentScript.src) || '/pow.js';

  const solve = (url) =>
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then((response) => {
        if (!response.ok) throw new Error('no challenge');
        return response.json();
      })
      .then((challenge) => new Promise((resolve, reject) => {
        const worker = new Worker(scriptURL);
        worker.onmessage = (event) => {
          worker.terminate();
          if (event.data.number === null) reject(new Error('unsolved'));
          else resolve({ challenge, number: event.data.number });
        };
        worker.onerror = (error) => {
          worker.terminate();
          reject(error);
        };
        worker.postMessage(challenge);
      }))
      .then(({ challenge, number }) => {
        const expires = Number((/[?&]expires=(\d+)/.exec(challenge.salt) || [])[1] || 0);
        const payload = {
          algorithm: challenge.algorithm, challenge: challenge.challenge, number, salt: challenge.salt, signature: challenge.signature,
        };
        return { field: btoa(JSON.stringify(payload)), expires };
      });

  const setUp = (form) => {
    const field = form.querySelector('input[name="altcha"]');
    const status = form.querySelector('.pow-status');
    if (!field) return;
    let solution = null;
    const fresh = () => solution.then((solved) => {
      // A solution a minute from expiry is renewed rather than sent.
      if (solved.expires * 1000 - Date.now() > 60000) return solved;
      solution = solve(form.dataset.proofOfWork);
      return solution;
    });
    const start = () => {
      if (!solution) solution = solve(form.dataset.proofOfWork);
      solution.catch(() => { solution = null; });
    };
    form.addEventListener('focusin', start);
    form.addEventListener('submit', (event) => {
      if (form.dataset.solved === 'yes') return;
      event.preventDefault();
      start();
      if (status) status.textContent = 'Checking that you are not a robot: a few seconds at most…';
      fresh()
        .then((solved) => {
          field.value = solved.field;
          form.dataset.solved = 'yes';
          form.submit();
        })
        .catch(() => {
          if (status) status.textContent = 'The check could not run in this browser. Press Sign again, or try again in a few minutes.';
          form.dataset.solved = 'yes';
        });
    });
  };

  document.querySelectorAll('form[data-proof-of-work]').forEach(setUp);
}
