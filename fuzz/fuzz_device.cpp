// Fuzz target for the SmartREST device engine (session::device): the responses of a hostile server.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a script: each step's first byte says what the network does
// with the request due (answer it with the next length-prefixed bytes as
// the response body, lose it, or let time pass). Properties checked:
// - at most one request is out, and `next_request` gives none while it is;
// - every body decodes to the lines the protocol allows in the device's state (80 while
//   handshaking, 81 lines while subscribing, 83 or 84 once a client id is
//   known), and an 83 acknowledges exactly the last batch handed on;
// - the rows of a batch number are handed on once, and batch numbers handed
//   on only grow;
// - `next_deadline` exists whenever something is out or due, and time only
//   moves forward through it; the engine never throws.
#include <rtnotify/session/device.hpp>
#include <rtnotify/smartrest/decode.hpp>

#include "fuzz_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ss = rtnotify::session;

using rtnotify_fuzz::check;

using lines = std::vector<std::vector<std::string>>;

/// The records of a request body, decoded (a body the engine made must decode).
lines fields_of(std::string_view body)
{
    auto const doc = rtnotify::smartrest::decode(body);
    check(doc.has_value(), "a request body that does not decode", body);
    lines out;
    for(auto const r : *doc)
        out.emplace_back(r.fields.begin(), r.fields.end());
    return out;
}

/// The `88` number of a response body, when it parses and has one.
std::optional<std::uint64_t> batch_of(std::string_view body, rtnotify::smartrest::decode_options const& opts)
{
    auto const doc = rtnotify::smartrest::decode(body, opts);
    if(!doc)
        return std::nullopt;
    auto const resp = rtnotify::smartrest::parse_response(*doc, "x");
    if(!resp || !resp->batch)
        return std::nullopt;
    return resp->batch->batch;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    rtnotify_fuzz::input in{data, size};
    ss::device_options o;
    o.xid = "x";
    o.channels = {"/a", "/b"};
    o.extra_xids = {"y"};
    o.reliable = in.byte() & 1;
    o.decode.max_records = 64;
    ss::device d(o);
    ss::time_point now{};
    d.start(now);
    std::string client; // the client id the batches below belong to
    std::uint64_t seen = 0; // the highest 88 number of an answered request of that client id
    for(int step = 0; step < 64 && !in.empty(); ++step)
    {
        auto const what = in.byte();
        if(d.client_id() != client)
        {
            client = d.client_id();
            seen = 0;
        }
        auto r = d.next_request(now);
        if(!r)
        {
            auto const t = d.next_deadline();
            if(t)
            {
                check(*t > now || d.in_flight(), "due now, yet nothing was sent");
                now = std::max(now, *t);
                d.on_timer(now);
            }
            else
                check(d.state() == ss::device_state::disconnected || d.state() == ss::device_state::unconnected,
                      "nothing due and nothing out in a running state");
            if(what % 8 == 7)
                d.disconnect();
            continue;
        }
        check(d.in_flight() == r->id, "the request sent is the one out");
        check(!d.next_request(now), "a second request while one is out");
        // the body, as the server reads it: the fields of each line
        auto const& b = r->body;
        auto const f = fields_of(b);
        auto const leaving = !client.empty() && f == lines{{"84", client}};
        switch(d.state())
        {
        case ss::device_state::handshaking:
            check(f == (o.reliable ? lines{{"80", "true"}} : lines{{"80"}}), "handshake body", b);
            break;
        case ss::device_state::subscribing:
            check(f == lines{{"81", client, "/a", "y"}, {"81", client, "/b", "y"}} || leaving, "subscribe body", b);
            break;
        case ss::device_state::connected:
            check(f == (seen ? lines{{"83", client, std::to_string(seen)}} : lines{{"83", client}}) || leaving,
                  "a connect acknowledges the last batch", b);
            break;
        default: check(false, "a request in a stopped state", b);
        }
        if(what % 4 == 0)
        {
            d.fail(r->id, now);
            continue;
        }
        auto const body = in.bytes(in.byte() | (what & 0x30) << 4);
        now += std::chrono::milliseconds(what);
        d.receive(r->id, body, now);
        check(!d.in_flight(), "answered, yet still out");
        auto const batch = batch_of(body, o.decode);
        bool rows = false;
        for(auto const& e : d.take_events())
            rows = rows || std::holds_alternative<ss::rows_received>(e);
        check(!(rows && batch && *batch <= seen), "rows of a batch handed on before");
        if(batch && d.client_id() == client)
            seen = std::max(seen, *batch);
    }
    return 0;
}
