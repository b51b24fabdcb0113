// Fuzz target for Socket.IO: Engine.IO polling payloads and packets, Socket.IO packets, and the server-side socket.
// SPDX-License-Identifier: BSL-1.0
//
// Byte 0 picks the options: bit 0 the Engine.IO revision (3 or 4), bit 1
// tiny limits, bits 2-7 the milliseconds between packets (times 1,000). The
// rest is one polling payload, as a client POSTs it. Properties checked:
// - a decoded payload re-encodes and decodes to the same packets;
// - every Socket.IO packet that decodes encodes and decodes to itself (its
//   doubles to within 1e-14: Boost.JSON 1.81 parses them to within an ULP);
// - a socket fed the payload's packets one by one never queues more than
//   its bound past the handshake, gives events only while connected, stays
//   closed once closed, and its heartbeat deadline always lies ahead.
#include <rtnotify/socketio.hpp>

#include "fuzz_support.hpp"
#include "json_near.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sio = rtnotify::socketio;

using rtnotify_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    auto const version = (data[0] & 1) ? sio::eio_version::v4 : sio::eio_version::v3;
    sio::socket_options opts;
    if(data[0] & 2)
    {
        opts.limits = {256, 4, 8, 4};
        opts.max_queued_bytes = 512;
    }
    auto const step = std::chrono::seconds((data[0] >> 2) & 0x3f);
    std::string_view const body(reinterpret_cast<char const*>(data) + 1, size - 1);

    auto const packets = sio::decode_engineio_payload(body, version, opts.limits);
    if(!packets)
    {
        check(packets.error().offset <= body.size(), "a payload error lies within the payload", body);
        return 0;
    }
    std::vector<std::string> texts;
    for(auto const& p : *packets)
        texts.push_back(sio::encode_engineio_packet(p.type, p.data));
    auto const encoded = sio::encode_engineio_payload(texts, version); // the packets decoded from it point into it
    auto const again = sio::decode_engineio_payload(encoded, version);
    check(again && *again == *packets, "a decoded payload re-encodes to the same packets", body);

    for(auto const& p : *packets)
        if(p.type == sio::engineio_type::message)
            if(auto sp = sio::decode_packet(p.data, opts.limits))
            {
                auto const back = sio::decode_packet(sio::encode_packet(*sp), opts.limits);
                check(back && back->type == sp->type && back->nsp == sp->nsp && back->id == sp->id &&
                          rtnotify_fuzz::json_near(back->data, sp->data),
                      "a Socket.IO packet round-trips", p.data);
            }

    sio::socket::time_point now{};
    sio::socket s("fuzz", version, true, opts, now);
    auto const handshake = s.queued_bytes();
    for(auto const& text : texts)
    {
        bool const was_closed = s.closed();
        auto r = s.receive(text, now);
        if(was_closed)
            check(r && !*r && s.closed(), "a closed socket stays closed and gives nothing", text);
        if(r && *r)
            check(s.connected() && !s.closed(), "events come only on a connected socket", text);
        check(s.queued_bytes() <= handshake + opts.max_queued_bytes, "the queue stays within its bound", text);
        now += step;
        s.on_timer(now);
        check(s.closed() || s.deadline() > now, "the heartbeat deadline lies ahead", text);
        if(text.size() % 3 == 0)
            s.take_outgoing(); // a transport that reads now and then
    }
    return 0;
}
