// Encodes SmartREST records and lines, quoting fields where needed.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_ENCODE_HPP
#define RTNOTIFY_SMARTREST_ENCODE_HPP

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace rtnotify::smartrest {

/** True when `field` must be quoted to decode back to itself.

    That is when it holds `"`, `,`, CR, LF or TAB, starts or ends with a
    space or tab, or starts with a UTF-8 byte order mark (which a decoder
    drops at the start of a body).
*/
inline bool needs_quotes(std::string_view field) noexcept
{
    if(field.empty())
        return false;
    if(field.find_first_of("\",\r\n\t") != std::string_view::npos)
        return true;
    return field.front() == ' ' || field.back() == ' ' || field.starts_with("\xEF\xBB\xBF");
}

/// Appends `field` to `out`, quoted exactly when `needs_quotes` says so, inner quotes doubled.
inline void encode_field(std::string& out, std::string_view field)
{
    if(!needs_quotes(field))
    {
        out.append(field);
        return;
    }
    out.push_back('"');
    for(char c : field)
    {
        if(c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

/** Appends one record and its LF to `out`.

    A record whose only field is empty is written `""`, since an empty line
    makes no record. A record cannot have no fields: an empty span is
    written like one empty field.
*/
inline void encode_record(std::string& out, std::span<std::string_view const> fields)
{
    if(fields.empty() || (fields.size() == 1 && fields[0].empty()))
    {
        out.append("\"\"\n");
        return;
    }
    for(std::size_t i = 0; i < fields.size(); ++i)
    {
        if(i != 0)
            out.push_back(',');
        encode_field(out, fields[i]);
    }
    out.push_back('\n');
}

/// Appends one record given as a list: `encode_record(out, {"86", "", "5000", "retry"})`.
inline void encode_record(std::string& out, std::initializer_list<std::string_view> fields)
{
    encode_record(out, std::span<std::string_view const>(fields.begin(), fields.size()));
}

} // namespace rtnotify::smartrest

#endif
