package catalog

import (
	"fmt"

	"github.com/ratecycle/ratecycle/series"
)

// Temporary until source/price and source/shiller land.
func (c *Catalog) loadPrice(d *Dataset) (*series.Series, error) {
	return nil, fmt.Errorf("%s: price parser not built yet", d.ID)
}

func (c *Catalog) loadShiller(d *Dataset) (*series.Series, error) {
	return nil, fmt.Errorf("%s: shiller parser not built yet", d.ID)
}
