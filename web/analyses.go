package web

// features says which dashboard panels have an engine analysis behind them; a panel
// whose analysis is not built is left out, never faked.
type features struct {
	Study, Regimes, Check, Rebalance bool
}

func (s *Server) features() features { return features{} }

// analysisRoutes are the endpoints of the analyses beyond cycles and risk.
func (s *Server) analysisRoutes() []route { return nil }
