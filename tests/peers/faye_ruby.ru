# Ruby Faye (Debian's ruby-faye) under thin, mounted on /bayeux with Faye's
# own defaults (connects held 60 s); the Rack file of run_conformance.sh.
# SPDX-License-Identifier: BSL-1.0
require 'faye'
Faye::WebSocket.load_adapter('thin')
run Faye::RackAdapter.new(mount: '/bayeux')
