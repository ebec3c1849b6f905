/* The leaders' dashboard: asks the report API for the figures with the officer's token and draws
 * them. Text is always set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var TOKEN_KEY = "motcua.reporting.token";
  var API = "/api/v1/reports/";
  var number = new Intl.NumberFormat("vi-VN");
  var decimal = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  var COLOURS = { ok: "#2e7d32", late: "#c62828", within: "#f9a825", overdue: "#6d4c41", received: "#1565c0",
                  online: "#1565c0", counter: "#b3261e", postal: "#f9a825" };
  var charts = {};

  function $(id) { return document.getElementById(id); }

  // -- the token ---------------------------------------------------------------------------------
  function takeTokenFromFragment() {
    var fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) {
      sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);  // out of the address bar at once
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function claims(jwt) {
    try {
      var payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(atob(payload), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return {};
    }
  }

  // -- the API -----------------------------------------------------------------------------------
  function ApiError(status, problem) { this.status = status; this.problem = problem || {}; }

  function get(resource, params) {
    var query = new URLSearchParams(params).toString();
    return fetch(API + resource + "?" + query, { headers: { Authorization: "Bearer " + token() } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { throw new ApiError(response.status, body); }
          return body;
        });
      });
  }

  // -- small DOM helpers ---------------------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function card(container, label, value, detail, tone) {
    var box = element("div", "card" + (tone ? " " + tone : ""));
    box.appendChild(element("span", "value", value));
    box.appendChild(element("span", "label", label));
    if (detail) { box.appendChild(element("div", "label", detail)); }
    container.appendChild(box);
  }

  function table(container, headers, rows) {
    var grid = element("table");
    var head = grid.createTHead().insertRow();
    headers.forEach(function (text) { head.appendChild(element("th", "", text)); });
    var body = grid.createTBody();
    rows.forEach(function (cells) {
      var line = body.insertRow();
      cells.forEach(function (text) { line.appendChild(element("td", "", text)); });
    });
    container.replaceChildren(grid);
  }

  function say(text) {
    $("message").textContent = text;
    $("message").hidden = !text;
  }

  function day(iso) { return iso.split("-").reverse().join("/"); }
  function n(value) { return number.format(value); }
  function goodResolved(group) { return group.resolved.early + group.resolved.on_time; }

  // -- drawing -------------------------------------------------------------------------------------
  function draw(id, config) {
    if (charts[id]) { charts[id].destroy(); }
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false,
                                     plugins: { legend: { position: "bottom" } } }, config.options || {});
    charts[id] = new Chart($(id), config);
    var points = config.data.datasets.reduce(function (sum, set) { return sum + set.data.length; }, 0);
    $(id).setAttribute("data-points", String(points));
  }

  function showHeadline(summary, period) {
    var one = summary.one_stop, inter = summary.inter_agency;
    var headline = $("headline");
    headline.replaceChildren();
    [["Từ ngày " + day(period.from) + " đến ngày " + day(period.to) + ", tiếp nhận "],
     [n(summary.received.total), true],
     [" hồ sơ (một cửa " + n(one.received.total) + "; liên thông " + n(inter.received.total) + "). Một cửa: "],
     [n(goodResolved(one)), true],
     [" hồ sơ giải quyết trước và đúng hạn, " + n(one.resolved.late) + " quá hạn, " + n(one.in_progress.total) +
      " đang giải quyết. Liên thông: " + n(inter.resolved.total) + " đã giải quyết, " +
      n(inter.in_progress.total) + " đang giải quyết."]
    ].forEach(function (part) { headline.appendChild(part[1] ? element("strong", "", part[0]) : document.createTextNode(part[0])); });

    var cards = $("cards");
    cards.replaceChildren();
    card(cards, "Hồ sơ tiếp nhận", n(summary.received.total), "Trực tuyến " + n(summary.received.online) +
         " · Trực tiếp, bưu chính " + n(summary.received.counter_postal) + " · Kỳ trước chuyển sang " +
         n(summary.received.carried_over));
    card(cards, "Giải quyết trước và đúng hạn", n(goodResolved(summary)), "Trước hạn " +
         n(summary.resolved.early) + " · Đúng hạn " + n(summary.resolved.on_time), "ok");
    card(cards, "Giải quyết quá hạn", n(summary.resolved.late), "", "late");
    card(cards, "Đang giải quyết trong hạn", n(summary.in_progress.within_deadline), "", "wait");
    card(cards, "Đang giải quyết quá hạn", n(summary.in_progress.overdue), "", "late");
  }

  function showIndicators(found) {
    var box = $("indicators");
    box.replaceChildren();
    var rate = found.on_time_rate, time = found.average_handling_time, shares = found.channel_shares;
    card(box, "2.1 Tỷ lệ giải quyết trước hạn, đúng hạn", rate.value === null ? "—" : decimal.format(rate.value) + " %",
         n(rate.numerator) + "/" + n(rate.denominator) + " hồ sơ", "ok");
    card(box, "2.2 Thời gian giải quyết trung bình", time.value === null ? "—" : decimal.format(time.value) +
         " ngày", n(time.dossiers) + " hồ sơ đã có kết quả; không tính thời gian chờ bổ sung");
    var online = shares.channels.online.share;
    card(box, "3.3 Tỷ lệ tiếp nhận trực tuyến", online === null ? "—" : decimal.format(online) + " %",
         n(shares.channels.online.count) + "/" + n(shares.received_in_period) + " hồ sơ tiếp nhận trong kỳ");
    card(box, "5.4 Mức độ hài lòng", "Chưa có dữ liệu", found.satisfaction.reason);
    draw("channels-chart", { type: "doughnut", data: {
      labels: ["Trực tuyến", "Trực tiếp", "Bưu chính công ích"],
      datasets: [{ data: [shares.channels.online.count, shares.channels.counter.count, shares.channels.postal.count],
                   backgroundColor: [COLOURS.online, COLOURS.counter, COLOURS.postal] }] } });
  }

  function showTrend(trend) {
    var labels = trend.months.map(function (m) { return m.month.split("-").reverse().join("/"); });
    draw("trend-chart", { type: "bar", data: { labels: labels, datasets: [
      { label: "Tiếp nhận trong tháng", data: trend.months.map(function (m) { return m.received.online + m.received.counter_postal; }),
        backgroundColor: COLOURS.received },
      { label: "Giải quyết trước và đúng hạn", data: trend.months.map(goodResolved), backgroundColor: COLOURS.ok },
      { label: "Giải quyết quá hạn", data: trend.months.map(function (m) { return m.resolved.late; }),
        backgroundColor: COLOURS.late },
      { label: "Đang giải quyết cuối tháng", type: "line", data: trend.months.map(function (m) { return m.in_progress.total; }),
        borderColor: COLOURS.within, backgroundColor: COLOURS.within }
    ] } });
    table($("trend-table"), ["Tháng", "Tiếp nhận", "Kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết"],
          trend.months.map(function (m, i) {
            return [labels[i], n(m.received.online + m.received.counter_postal), n(m.received.carried_over),
                    n(m.resolved.early), n(m.resolved.on_time), n(m.resolved.late), n(m.in_progress.total)];
          }));
  }

  function showUnits(breakdown) {
    var rows = breakdown.rows;
    var labels = rows.map(function (r) { return r.label; });
    draw("units-chart", { type: "bar", options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } } },
      data: { labels: labels, datasets: [
        { label: "Giải quyết trước và đúng hạn", data: rows.map(goodResolved), backgroundColor: COLOURS.ok },
        { label: "Giải quyết quá hạn", data: rows.map(function (r) { return r.resolved.late; }), backgroundColor: COLOURS.late },
        { label: "Đang giải quyết trong hạn", data: rows.map(function (r) { return r.in_progress.within_deadline; }),
          backgroundColor: COLOURS.within },
        { label: "Đang giải quyết quá hạn", data: rows.map(function (r) { return r.in_progress.overdue; }),
          backgroundColor: COLOURS.overdue }
      ] } });
    table($("units-table"), ["Đơn vị", "Tiếp nhận", "Trước và đúng hạn", "Quá hạn", "Đang giải quyết"],
          rows.map(function (r) {
            return [r.label, n(r.received.total), n(goodResolved(r)), n(r.resolved.late), n(r.in_progress.total)];
          }));
  }

  // -- the flow ----------------------------------------------------------------------------------
  function period() {
    var query = new URLSearchParams(location.search);
    var today = new Date();
    var iso = function (d) {
      return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    };
    return { unit: $("unit").value || query.get("unit") || claims(token()).unit || "",
             from: $("from").value || query.get("from") || today.getFullYear() + "-01-01",
             to: $("to").value || query.get("to") || iso(today) };
  }

  function signedIn(yes) {
    $("login").hidden = yes;
    $("filters").hidden = !yes;
    $("logout").hidden = !yes;
    if (!yes) { $("report").hidden = true; document.body.setAttribute("data-state", "signed-out"); }
  }

  function load() {
    var asked = period();
    $("unit").value = asked.unit; $("from").value = asked.from; $("to").value = asked.to;
    document.body.setAttribute("data-state", "loading");
    say("Đang tải số liệu…");
    return Promise.all([get("summary", asked), get("indicators", asked), get("trend", asked),
                        get("breakdown", Object.assign({ by: "unit" }, asked))])
      .then(function (answers) {
        $("report").hidden = false;
        $("scope").textContent = answers[3].unit.name + " · Kỳ báo cáo từ " + day(asked.from) + " đến " + day(asked.to);
        showHeadline(answers[0], asked);
        showIndicators(answers[1]);
        showTrend(answers[2]);
        showUnits(answers[3]);
        say("");
        document.body.setAttribute("data-state", "ready");
      })
      .catch(function (error) {
        if (!(error instanceof ApiError)) { throw error; }
        if (error.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          signedIn(false);
        }
        say(error.problem.detail || error.problem.title || "Không tải được số liệu (" + error.status + ").");
        document.body.setAttribute("data-state", "error");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    takeTokenFromFragment();
    $("sign-in").addEventListener("click", function () {
      var typed = $("token").value.trim();
      if (!typed) { return; }
      sessionStorage.setItem(TOKEN_KEY, typed);
      $("token").value = "";
      signedIn(true);
      load();
    });
    $("logout").addEventListener("click", function () {
      sessionStorage.removeItem(TOKEN_KEY);
      signedIn(false);
      say("");
    });
    $("show").addEventListener("click", load);
    signedIn(Boolean(token()));
    if (token()) { load(); }
  });
})();
