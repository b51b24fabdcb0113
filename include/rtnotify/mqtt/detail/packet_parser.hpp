// Decodes the MQTT packet at the front of a buffer: fixed header, then the fields of its type.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DETAIL_PACKET_PARSER_HPP
#define RTNOTIFY_MQTT_DETAIL_PACKET_PARSER_HPP

#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/mqtt/detail/utf8.hpp>
#include <rtnotify/mqtt/diagnostic.hpp>
#include <rtnotify/mqtt/packet.hpp>
#include <rtnotify/mqtt/topic.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::mqtt::detail {

// Reads the fields of one packet's variable header and payload; every
// failure records the stream offset of the field at fault.
class field_reader
{
public:
    field_reader(std::string_view body, std::size_t base, std::uint8_t type, diagnostic& diag) noexcept
        : body_(body), base_(base), type_(type), diag_(diag)
    {
    }

    bool at_end() const noexcept { return pos_ == body_.size(); }

    std::size_t position() const noexcept { return pos_; }

    bool fail(error e, std::size_t at) noexcept
    {
        diag_ = {e, base_ + at, type_};
        return false;
    }

    bool byte(std::uint8_t& v) noexcept
    {
        if(pos_ == body_.size())
            return fail(error::truncated, pos_);
        v = static_cast<std::uint8_t>(body_[pos_++]);
        return true;
    }

    bool u16(std::uint16_t& v) noexcept
    {
        if(body_.size() - pos_ < 2)
            return fail(error::truncated, pos_);
        v = static_cast<std::uint16_t>(static_cast<std::uint8_t>(body_[pos_]) << 8 |
                                       static_cast<std::uint8_t>(body_[pos_ + 1]));
        pos_ += 2;
        return true;
    }

    bool packet_id(std::uint16_t& v) noexcept
    {
        auto const at = pos_;
        if(!u16(v))
            return false;
        return v != 0 || fail(error::bad_packet_id, at);
    }

    // A two-byte length and that many bytes.
    bool binary(std::string& out)
    {
        auto const at = pos_;
        std::uint16_t n = 0;
        if(!u16(n))
            return false;
        if(body_.size() - pos_ < n)
            return fail(error::truncated, at);
        out.assign(body_.substr(pos_, n));
        pos_ += n;
        return true;
    }

    bool utf8(std::string& out)
    {
        auto const at = pos_;
        if(!binary(out))
            return false;
        return is_mqtt_utf8(out) || fail(error::bad_utf8, at);
    }

    // A UTF-8 string that is a topic name (`filter` false) or a topic filter.
    bool topic(std::string& out, bool filter, decode_options const& opts)
    {
        auto const at = pos_;
        if(!utf8(out))
            return false;
        if(out.size() > opts.max_topic_bytes)
            return fail(error::topic_too_long, at);
        auto const ec = filter ? validate_topic_filter(out) : validate_topic_name(out);
        return !ec || fail(static_cast<error>(ec.value()), at);
    }

    std::string_view rest() noexcept
    {
        auto const r = body_.substr(pos_);
        pos_ = body_.size();
        return r;
    }

    bool finish() noexcept { return at_end() || fail(error::trailing_bytes, pos_); }

private:
    std::string_view body_;
    std::size_t pos_ = 0;
    std::size_t base_;
    std::uint8_t type_;
    diagnostic& diag_;
};

// The flags the fixed header of each type must carry (PUBLISH: any).
constexpr bool flags_allowed(std::uint8_t type, std::uint8_t flags) noexcept
{
    switch(static_cast<packet_type>(type))
    {
    case packet_type::publish:     return true;
    case packet_type::pubrel:
    case packet_type::subscribe:
    case packet_type::unsubscribe: return flags == 2;
    default:                       return flags == 0;
    }
}

inline bool parse_connect(field_reader& r, connect& c, decode_options const& opts)
{
    std::string name;
    auto const name_at = r.position();
    if(!r.utf8(name) || !r.byte(c.protocol_level))
        return false;
    bool const mqtt = name == "MQTT", mqisdp = name == "MQIsdp";
    if(!mqtt && !mqisdp)
        return r.fail(error::bad_protocol_name, name_at);
    if(!(mqtt && c.protocol_level == 4) && !(mqisdp && c.protocol_level == 3))
        return r.fail(error::unsupported_protocol_level, r.position() - 1);
    std::uint8_t flags = 0;
    if(!r.byte(flags))
        return false;
    bool const has_will = flags & 0x04, has_user = flags & 0x80, has_password = flags & 0x40;
    std::uint8_t const will_qos = (flags >> 3) & 0x03;
    bool const will_retain = flags & 0x20;
    if((flags & 0x01) || will_qos == 3 || (!has_will && (will_qos != 0 || will_retain)) ||
       (has_password && !has_user))
        return r.fail(error::bad_connect_flags, r.position() - 1);
    c.clean_session = flags & 0x02;
    if(!r.u16(c.keep_alive) || !r.utf8(c.client_id))
        return false;
    if(has_will)
    {
        auto& w = c.will.emplace();
        w.qos = will_qos;
        w.retain = will_retain;
        if(!r.topic(w.topic, false, opts) || !r.binary(w.payload))
            return false;
    }
    if(has_user && !r.utf8(c.user_name.emplace()))
        return false;
    if(has_password && !r.binary(c.password.emplace()))
        return false;
    return r.finish();
}

inline bool parse_publish(field_reader& r, std::uint8_t flags, publish& p, decode_options const& opts)
{
    p.dup = flags & 0x08;
    p.qos = (flags >> 1) & 0x03;
    p.retain = flags & 0x01;
    if(!r.topic(p.topic, false, opts))
        return false;
    if(p.qos != 0 && !r.packet_id(p.packet_id))
        return false;
    p.payload.assign(r.rest());
    return true;
}

// The filters of a SUBSCRIBE (with their QoS byte) or an UNSUBSCRIBE.
template<class OnFilter>
bool parse_filters(field_reader& r, bool with_qos, decode_options const& opts, OnFilter on_filter)
{
    std::size_t count = 0;
    do
    {
        auto const at = r.position();
        if(++count > opts.max_topics_per_packet)
            return r.fail(error::too_many_topics, at);
        std::string filter;
        std::uint8_t qos = 0;
        if(!r.topic(filter, true, opts))
            return false;
        if(with_qos)
        {
            if(!r.byte(qos))
                return false;
            if(qos > 2)
                return r.fail(error::bad_qos, r.position() - 1);
        }
        on_filter(std::move(filter), qos);
    } while(!r.at_end());
    return true;
}

inline bool parse_body(field_reader& r, std::uint8_t type, std::uint8_t flags, packet& out,
                       decode_options const& opts)
{
    switch(static_cast<packet_type>(type))
    {
    case packet_type::connect:
        return parse_connect(r, out.emplace<connect>(), opts);
    case packet_type::connack: {
        auto& c = out.emplace<connack>();
        std::uint8_t ack = 0, code = 0;
        if(!r.byte(ack) || !r.byte(code))
            return false;
        if(ack > 1)
            return r.fail(error::bad_connack, 0);
        if(code > 5)
            return r.fail(error::bad_connack, 1);
        c.session_present = ack == 1;
        c.code = static_cast<connect_code>(code);
        return r.finish();
    }
    case packet_type::publish:
        return parse_publish(r, flags, out.emplace<publish>(), opts);
    case packet_type::puback:
    case packet_type::pubrec:
    case packet_type::pubrel:
    case packet_type::pubcomp:
    case packet_type::unsuback: {
        auto& p = out.emplace<packet_id_only>();
        p.type = static_cast<packet_type>(type);
        return r.packet_id(p.packet_id) && r.finish();
    }
    case packet_type::subscribe: {
        auto& s = out.emplace<subscribe>();
        if(!r.packet_id(s.packet_id))
            return false;
        if(r.at_end())
            return r.fail(error::no_topic_filter, r.position());
        return parse_filters(r, true, opts, [&](std::string f, std::uint8_t q) {
            s.topics.push_back({std::move(f), q});
        });
    }
    case packet_type::suback: {
        auto& s = out.emplace<suback>();
        if(!r.packet_id(s.packet_id))
            return false;
        while(!r.at_end())
        {
            std::uint8_t code = 0;
            r.byte(code);
            if(code > 2 && code != suback_failure)
                return r.fail(error::bad_suback_code, r.position() - 1);
            s.codes.push_back(code);
        }
        return true;
    }
    case packet_type::unsubscribe: {
        auto& u = out.emplace<unsubscribe>();
        if(!r.packet_id(u.packet_id))
            return false;
        if(r.at_end())
            return r.fail(error::no_topic_filter, r.position());
        return parse_filters(r, false, opts, [&](std::string f, std::uint8_t) { u.filters.push_back(std::move(f)); });
    }
    case packet_type::pingreq:
    case packet_type::pingresp:
    case packet_type::disconnect:
        out.emplace<header_only>().type = static_cast<packet_type>(type);
        return r.finish();
    }
    return false; // unreachable: the fixed header check refused types 0 and 15
}

/** Decodes the packet at the front of `buf`, whose first byte is at stream
    offset `base`. On success sets `used` to the packet's size; otherwise
    `diag` says why (`error::need_more`: the packet is not complete yet,
    nothing is wrong so far).
*/
inline std::optional<packet> decode_front(std::string_view buf, std::size_t base, decode_options const& opts,
                                          diagnostic& diag, std::size_t& used)
{
    diag = {error::need_more, base + buf.size(), 0};
    if(buf.empty())
        return std::nullopt;
    auto const first = static_cast<std::uint8_t>(buf[0]);
    std::uint8_t const type = first >> 4, flags = first & 0x0f;
    if(type == 0 || type == 15)
    {
        diag = {error::reserved_packet_type, base, 0};
        return std::nullopt;
    }
    if(!flags_allowed(type, flags) || (type == 3 && (flags & 0x06) == 0 && (flags & 0x08)))
    {
        diag = {error::bad_flags, base, type};
        return std::nullopt;
    }
    if(type == 3 && ((flags >> 1) & 0x03) == 3)
    {
        diag = {error::bad_qos, base, type};
        return std::nullopt;
    }
    std::size_t length = 0, i = 1;
    for(unsigned shift = 0;; shift += 7, ++i)
    {
        if(i == 5)
        {
            diag = {error::bad_remaining_length, base + 4, type};
            return std::nullopt;
        }
        if(i == buf.size())
        {
            diag.type = type;
            return std::nullopt;
        }
        auto const b = static_cast<std::uint8_t>(buf[i]);
        length |= std::size_t(b & 0x7f) << shift;
        if(!(b & 0x80))
            break;
    }
    ++i; // i: the fixed header's size
    if(length > opts.max_packet_bytes)
    {
        diag = {error::packet_too_large, base + 1, type};
        return std::nullopt;
    }
    if(buf.size() - i < length)
    {
        diag.type = type;
        return std::nullopt;
    }
    packet out;
    field_reader r(buf.substr(i, length), base + i, type, diag);
    if(!parse_body(r, type, flags, out, opts))
        return std::nullopt;
    diag = {};
    used = i + length;
    return out;
}

} // namespace rtnotify::mqtt::detail

#endif
