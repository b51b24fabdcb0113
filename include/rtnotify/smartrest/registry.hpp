// The template collections registered by X-Id, bounded, and the answers to registrations.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_REGISTRY_HPP
#define RTNOTIFY_SMARTREST_REGISTRY_HPP

#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/message.hpp>
#include <rtnotify/smartrest/registry_options.hpp>
#include <rtnotify/smartrest/template.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::smartrest {

/// The templates registered under one X-Id. Never changed once created.
struct collection
{
    std::string xid;                            ///< the name it was registered under
    std::uint64_t id = 0;                       ///< the numeric id, usable as X-Id too
    std::vector<request_template> requests;     ///< in registration order
    std::vector<response_template> responses;   ///< in registration order

    /// The request template for `msg_id`, or null.
    request_template const* find_request(std::uint64_t msg_id) const noexcept
    {
        for(auto const& t : requests)
            if(t.msg_id == msg_id)
                return &t;
        return nullptr;
    }
};

/// True when `doc` is a template registration: some record is a `10` or an `11`.
inline bool is_registration(document const& doc) noexcept
{
    for(auto r : doc)
        if(r.size() && (r[0] == "10" || r[0] == "11"))
            return true;
    return false;
}

/** Template collections by X-Id: what `POST /s` with an `X-Id` header manages.

    Line numbers in `41` replies count the body's records from 1.
*/
class registry
{
public:
    explicit registry(registry_options const& opts = {}) : opts_(opts) {}

    /** Answers a `POST /s` for `xid` whose body decoded to `doc`.

        - an empty body asks whether the X-Id exists: `20,<id>` or `40,...`;
        - a registration (see `is_registration`) creates the collection: `20,<id>`,
          or one `41,<line>,<text>` per refused line and nothing registered;
          an existing X-Id gives `41,"Cannot create templates for already existing template object"`.

        A body that is not a registration is not the registry's: the result is empty.

        `owner` (the server passes the client's address) counts the
        collections of one client against `max_collections_per_owner`;
        registrations are also bounded in bytes, alone and together.
    */
    std::vector<status_line> handle(std::string_view xid, document const& doc, std::string_view owner = {})
    {
        if(doc.empty())
        {
            if(auto const* c = find(xid))
                return {{20, std::nullopt, std::to_string(c->id), {}}};
            return {{40, std::nullopt, "No template for this X-ID.", {}}};
        }
        if(!is_registration(doc))
            return {};
        if(find(xid))
            return {{41, std::nullopt, "Cannot create templates for already existing template object", {}}};
        if(by_name_.size() >= opts_.max_collections)
            return {{41, std::nullopt, "Too many template collections", {}}};
        if(doc.size() > opts_.max_templates)
            return {{41, std::nullopt, "Too many templates", {}}};
        auto const bytes = field_bytes(doc) + xid.size();
        if(bytes > opts_.max_collection_bytes)
            return {{41, std::nullopt, "Template collection too large", {}}};
        if(total_bytes_ + bytes > opts_.max_total_bytes)
            return {{41, std::nullopt, "Template storage full", {}}};
        auto owned = owners_.find(owner);
        if(owned != owners_.end() && owned->second >= opts_.max_collections_per_owner)
            return {{41, std::nullopt, "Too many template collections from this client", {}}};

        auto c = std::make_unique<collection>();
        c->xid = xid;
        std::vector<status_line> errors;
        auto refuse = [&](std::size_t line, std::string text) {
            errors.push_back({41, line, std::move(text), {}});
        };
        for(std::size_t i = 0; i < doc.size(); ++i)
        {
            auto const r = doc[i];
            auto const line = i + 1;
            if(r[0] == "10")
            {
                auto t = parse_request_template(r);
                if(!t)
                    refuse(line, t.error().message);
                else if(c->find_request(t->msg_id))
                    refuse(line, "Duplicate message identifiers are not allowed");
                else
                    c->requests.push_back(std::move(*t));
            }
            else if(r[0] == "11")
            {
                auto t = parse_response_template(r);
                if(!t)
                    refuse(line, t.error().message);
                else if(has_response(*c, t->msg_id))
                    refuse(line, "Duplicate message identifiers are not allowed");
                else
                    c->responses.push_back(std::move(*t));
            }
            else
                refuse(line, "Not a valid message identifier for template creation");
        }
        if(!errors.empty())
            return errors;
        c->id = next_id_++;
        auto const& stored = *c;
        by_id_.emplace(std::to_string(stored.id), &stored);
        by_name_.emplace(stored.xid, std::move(c));
        total_bytes_ += bytes;
        if(owned == owners_.end())
            owned = owners_.emplace(std::string(owner), 0).first;
        ++owned->second;
        return {{20, std::nullopt, std::to_string(stored.id), {}}};
    }

    /// The collection registered as `xid` (its name, or its numeric id), or null.
    collection const* find(std::string_view xid) const
    {
        if(auto it = by_name_.find(xid); it != by_name_.end())
            return it->second.get();
        if(auto it = by_id_.find(xid); it != by_id_.end())
            return it->second;
        return nullptr;
    }

    /// The number of collections.
    std::size_t size() const noexcept { return by_name_.size(); }

    /// The bytes of every registration's fields together (what `max_total_bytes` bounds).
    std::size_t bytes() const noexcept { return total_bytes_; }

private:
    static std::size_t field_bytes(document const& doc) noexcept
    {
        std::size_t n = 0;
        for(auto r : doc)
            for(auto f : r.fields)
                n += f.size();
        return n;
    }

    static bool has_response(collection const& c, std::uint64_t msg_id) noexcept
    {
        for(auto const& t : c.responses)
            if(t.msg_id == msg_id)
                return true;
        return false;
    }

    registry_options opts_;
    std::map<std::string, std::unique_ptr<collection>, std::less<>> by_name_;
    std::map<std::string, collection const*, std::less<>> by_id_;
    std::uint64_t next_id_ = 1001;
    std::size_t total_bytes_ = 0;
    std::map<std::string, std::size_t, std::less<>> owners_; ///< collections per owner
};

} // namespace rtnotify::smartrest

#endif
