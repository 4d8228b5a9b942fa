import { LoadingState } from '@/components/oncall/panel';

/** While the server asks the store for the first view. */
export default function Loading() {
  return <LoadingState />;
}
