// The customer's survey page: plain mobile-friendly HTML with zh/en labels and a little inline script, no build step.

export type SurveyPageState =
  { kind: 'open'; complaintId: string; expiresAt: Date } | { kind: 'closed'; title: string; detail: string };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `
  *{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f8;color:#1f2933}
  main{max-width:32rem;margin:0 auto;padding:1.25rem}h1{font-size:1.3rem;margin:.2rem 0 1rem}
  .card{background:#fff;border-radius:12px;padding:1.1rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
  fieldset{border:0;margin:0 0 1rem;padding:0}legend{font-weight:600;margin-bottom:.5rem}
  label.choice{display:block;padding:.7rem .8rem;margin:.35rem 0;border:1px solid #cbd2d9;border-radius:8px}
  label.choice:has(input:checked){border-color:#0b6bcb;background:#eaf3fc}
  .stars{display:flex;gap:.4rem}.stars label{flex:1;text-align:center;padding:.55rem 0;border:1px solid #cbd2d9;border-radius:8px}
  .stars label:has(input:checked){border-color:#0b6bcb;background:#eaf3fc}.stars input{display:none}
  textarea{width:100%;min-height:6rem;font:inherit;padding:.6rem;border:1px solid #cbd2d9;border-radius:8px}
  button{width:100%;padding:.85rem;font:inherit;font-weight:600;color:#fff;background:#0b6bcb;border:0;border-radius:8px}
  button:disabled{opacity:.6}.muted{color:#616e7c;font-size:.9rem}.error{color:#b42318;margin:.6rem 0}[hidden]{display:none}`;

function layout(nonce: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>服务回访 · Service survey</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body><main>${body}</main>${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body>
</html>`;
}

const SCRIPT = `
const form = document.getElementById('survey');
const reasonBox = document.getElementById('reason-box');
const error = document.getElementById('error');
const sync = () => { reasonBox.hidden = form.outcome.value !== 'dissatisfied'; };
form.addEventListener('change', sync);
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  const outcome = form.outcome.value;
  if (!outcome) { error.textContent = '请选择满意度。Please choose an answer.'; return; }
  const answer = { outcome };
  if (form.rating.value) answer.rating = Number(form.rating.value);
  const reason = form.reason.value.trim();
  if (outcome === 'dissatisfied') {
    if (!reason) { error.textContent = '请告诉我们哪里仍不满意。Please tell us what is still wrong.'; return; }
    answer.reason = reason;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const token = location.pathname.split('/').pop();
    const res = await fetch('../v1/survey/' + encodeURIComponent(token), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(answer),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      form.hidden = true;
      document.getElementById('done').hidden = false;
      document.getElementById('done-text').textContent = body.message || '';
    } else {
      error.textContent = body.detail || body.title || ('Error ' + res.status);
      if (res.status !== 400) button.hidden = true;
    }
  } catch {
    error.textContent = '网络错误，请稍后重试。Network error, please try again.';
  } finally {
    button.disabled = false;
  }
});`;

export function surveyPage(state: SurveyPageState, nonce: string): string {
  if (state.kind === 'closed') {
    return layout(
      nonce,
      `<h1>服务回访 · Service survey</h1><div class="card"><h2>${escapeHtml(state.title)}</h2><p>${escapeHtml(state.detail)}</p></div>`,
    );
  }
  const choices = [
    ['satisfied', '满意', 'Satisfied'],
    ['basically_satisfied', '基本满意', 'Basically satisfied'],
    ['dissatisfied', '不满意', 'Dissatisfied'],
  ]
    .map(
      ([value, zh, en]) =>
        `<label class="choice"><input type="radio" name="outcome" value="${value}" required> ${zh} · ${en}</label>`,
    )
    .join('');
  const stars = [1, 2, 3, 4, 5]
    .map((n) => `<label><input type="radio" name="rating" value="${n}">${'★'.repeat(n)}<br>${n}</label>`)
    .join('');
  return layout(
    nonce,
    `<h1>服务回访 · Service survey</h1>
<div class="card">
<p>您的投诉 <strong>${escapeHtml(state.complaintId)}</strong> 已处理完毕。请告诉我们您是否满意。<br>
<span class="muted">Your complaint ${escapeHtml(state.complaintId)} has been resolved. Please tell us whether you are satisfied.</span></p>
<form id="survey" novalidate>
<fieldset><legend>处理结果是否满意？ · Are you satisfied with the result?</legend>${choices}</fieldset>
<fieldset><legend>服务评分（可选） · Rate our service (optional)</legend><div class="stars">${stars}</div></fieldset>
<fieldset id="reason-box" hidden><legend>哪里仍不满意？ · What is still wrong?</legend>
<textarea name="reason" maxlength="2000"></textarea></fieldset>
<p id="error" class="error" role="alert"></p>
<button type="submit">提交 · Submit</button>
<p class="muted">链接有效期至 · Link valid until ${escapeHtml(state.expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</p>
</form>
<div id="done" hidden><h2>感谢您的反馈！ · Thank you!</h2><p id="done-text"></p></div>
</div>`,
    SCRIPT,
  );
}
