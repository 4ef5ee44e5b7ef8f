/** The design system in one import: `import { Button, DataTable } from '../../ui/index.ts'`. */
export { Button, buttonClass, type ButtonProps, type ButtonVariant, type ButtonSize } from './Button.tsx';
export { Chip, BandChip, type ChipProps, type ChipTone, type Band } from './Chip.tsx';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.tsx';
export { DataTable, type DataTableProps } from './DataTable.tsx';
export { Dialog, DialogClose, type DialogProps } from './Dialog.tsx';
export { EmptyState, type EmptyStateProps } from './EmptyState.tsx';
export { Menu, type MenuItem, type MenuProps } from './Menu.tsx';
export { PageHeader, type PageHeaderProps } from './PageHeader.tsx';
export { ProgressBar, type ProgressBarProps } from './ProgressBar.tsx';
export { SearchInput, type SearchInputProps } from './SearchInput.tsx';
export { Spinner, type SpinnerProps } from './Spinner.tsx';
export { Stat, type StatProps } from './Stat.tsx';
export { Toaster, toast, dismissToast, type ToastOptions, type ToastTone } from './Toast.tsx';
export { Tooltip, TooltipProvider, type TooltipProps } from './Tooltip.tsx';
